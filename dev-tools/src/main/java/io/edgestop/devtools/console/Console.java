package io.edgestop.devtools.console;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Properties;

import io.edgestop.topics.Topics;

/**
 * The operator console: a {@link RecordFollower} reading the audit, stop-results, directive,
 * job-status-reports and dead-letter topics from their beginning into a {@link ConsoleState}, and
 * the {@link ConsoleServer} showing it, behind one password.
 *
 * @param host                bind address (127.0.0.1 unless told otherwise: the console is for this machine)
 * @param port                port, 0 for any free one
 * @param directiveDeadlineMs the orchestrator's directive.deadline.ms, for a pending stop's deadline until its directive is read
 * @param maxStories          stories kept in memory, see {@link ConsoleState}
 */
public final class Console implements AutoCloseable {

    public record Options(String host, int port, long directiveDeadlineMs, int maxStories) {
    }

    private final RecordFollower follower;
    private final ConsoleServer server;

    private Console(RecordFollower follower, ConsoleServer server) {
        this.follower = follower;
        this.server = server;
    }

    /** Starts reading and serving at once; the page fills in as the topics are read. */
    public static Console start(Properties kafkaClient, Topics topics, Options options, String password) throws IOException {
        if (password == null || password.length() < 12) {
            throw new IllegalArgumentException("the console's password must have at least 12 characters");
        }
        ConsoleState state = new ConsoleState(topics, options.directiveDeadlineMs(), options.maxStories(), Clock.systemUTC());
        RecordFollower follower = RecordFollower.start(kafkaClient, topics.prefix() + "console", state::reads, state::accept);
        try {
            ConsoleServer server = ConsoleServer.start(options.host(), options.port(), state,
                    () -> state.overview(follower.caughtUp(), follower.problem()), password);
            return new Console(follower, server);
        } catch (IOException | RuntimeException e) {
            follower.close();
            throw e;
        }
    }

    /** A new random password (24 bytes, URL-safe Base64). */
    public static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * The password in {@code file} (its first line); a file that does not exist yet is created with a new
     * password, readable by its owner only, so that the password is never printed.
     */
    public static String passwordFrom(Path file) throws IOException {
        try {
            String password = newPassword();
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
            return password;
        } catch (FileAlreadyExistsException e) {
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                throw new IOException("the console password file " + file + " is empty");
            }
            return first;
        }
    }

    public URI url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        follower.close();
    }
}
