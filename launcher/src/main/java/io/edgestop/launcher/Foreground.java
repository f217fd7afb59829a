package io.edgestop.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Keeps a long-running command in the foreground until SIGTERM / Ctrl-C, then closes it cleanly. */
public final class Foreground {

    private Foreground() {
    }

    /** Writes the ready file (if any), then blocks until the JVM shuts down; closes {@code service} on the way. */
    public static void runUntilSignal(AutoCloseable service, Path readyFile, String name) throws IOException, InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println(name + ": shutting down");
            try {
                service.close();
            } catch (Exception e) {
                System.err.println(name + ": error while stopping: " + e);
            } finally {
                deleteQuietly(readyFile);
                closed.countDown();
                System.err.println(name + ": stopped");
            }
        }, name + "-shutdown"));
        if (readyFile != null) {
            Path parent = readyFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(readyFile, "ready\n");
        }
        closed.await();
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
