package io.edgestop.launcher;

import java.util.List;

/**
 * Commands the launcher does not carry: the development tools (module dev-tools), kept off the production
 * components' classpath. {@link EdgeStopCli} adds the commands of every provider on its classpath
 * ({@link java.util.ServiceLoader}); {@code ./edge-stop} puts dev-tools on it only for the commands that need it.
 */
public interface CommandProvider {

    /** picocli command classes, in the order {@code edge-stop help} lists them. */
    List<Class<?>> commands();
}
