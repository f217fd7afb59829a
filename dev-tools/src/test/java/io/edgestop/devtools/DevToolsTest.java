package io.edgestop.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.edgestop.launcher.EdgeStopCli;
import io.edgestop.launcher.Seed;

/** The development tools join {@code edge-stop} when dev-tools is on the classpath (META-INF/services, {@link DevTools}). */
class DevToolsTest {

    @Test
    void helpListsTheDevelopmentToolsWithTheComponents() {
        String help = run("help");
        for (String command : new String[] {"dev", "broker", "orchestrator", "adapter", "edge-worker", "console", "audit"}) {
            assertTrue(help.lines().anyMatch(l -> l.matches("\\s+" + command + "\\s.*")), command + ": " + help);
        }
        assertFalse(help.contains("module dev-tools"), "no pointer to what is here: " + help);
    }

    @Test
    void helpShowsNoDemoSecret() throws Exception {
        String demoSecret = Seed.demo().credentials().get(0).accessKeySecret();
        new DevTools().commands().forEach(c -> {
            String name = c.getAnnotation(picocli.CommandLine.Command.class).name();
            assertFalse(run(name, "--help").contains(demoSecret), name + " --help");
        });
    }

    /** {@code ./edge-stop} runs on dev-tools' classpath exactly the development tools, and help (which lists them). */
    @Test
    void theScriptRunsTheDevelopmentToolsOnTheirClasspath() throws Exception {
        Matcher m = Pattern.compile("\n  ([-a-z| ]+)\\) JAR=\"\\$DEV_TOOLS_JAR\"").matcher(Files.readString(Path.of("..", "edge-stop")));
        assertTrue(m.find(), "the script's case of the dev-tools commands");
        Set<String> expected = new TreeSet<>(Set.of("help", "-h", "--help"));
        new DevTools().commands().forEach(c -> expected.add(c.getAnnotation(picocli.CommandLine.Command.class).name()));
        assertEquals(expected, new TreeSet<>(Arrays.stream(m.group(1).split("\\|")).map(String::strip).toList()));
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        assertEquals(0, EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter())).execute(args),
                String.join(" ", args));
        return out.toString();
    }
}
