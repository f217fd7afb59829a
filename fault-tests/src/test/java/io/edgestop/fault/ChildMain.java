package io.edgestop.fault;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every {@link ChildJvm}: {@code ChildMain <main class> <its arguments>}. It makes the
 * child halt when its parent (the test JVM) is gone, even if that one was killed and ran no shutdown
 * hook, and then runs the real main class unchanged.
 */
public final class ChildMain {

    private ChildMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ChildMain <main class> [args...]");
            System.exit(2);
        }
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
            System.err.println("parent process " + parent.pid() + " is gone: halting");
            Runtime.getRuntime().halt(3);
        }));
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
