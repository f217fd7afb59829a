package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.adapter.auth.CredentialStore;
import picocli.CommandLine;

/**
 * The demo seed's access keys are public, so outside {@code edge-stop dev} nothing falls back to
 * it: the adapter refuses to start without credentials and binds this machine only unless told
 * otherwise, and {@code seed} loads the demo data only when it is named.
 */
class NoDemoDefaultsTest {

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EdgeStopCli.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theAdapterRefusesToStartWithoutCredentials() throws Exception {
        int port = freePort();
        Run r = run("adapter", "--bootstrap-servers", "127.0.0.1:1", "--http-port", Integer.toString(port));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains(CredentialStore.NO_CREDENTIALS), r.err());
        assertTrue(r.err().contains("--seed FILE|demo"), r.err());
        try (ServerSocket s = new ServerSocket(port)) {
            assertTrue(s.isBound(), "nothing listens on the port");
        }
    }

    @Test
    void theAdapterRefusesTwoCredentialSourcesAndASeedWithoutCredentials(@TempDir Path dir) throws Exception {
        Path creds = Files.writeString(dir.resolve("creds.json"),
                "{\"credentials\":[{\"accessKeyId\":\"AK\",\"accessKeySecret\":\"S\",\"accountId\":\"1\"}]}");
        Run both = run("adapter", "--bootstrap-servers", "127.0.0.1:1", "--credentials-file", creds.toString(),
                "--seed", "demo");
        assertEquals(2, both.exitCode());
        assertTrue(both.err().contains("not both"), both.err());

        Path seed = Files.writeString(dir.resolve("no-keys.yaml"), "accounts:\n  - accountId: \"1\"\n    edgeTranscodeEnabled: true\n");
        Run empty = run("adapter", "--bootstrap-servers", "127.0.0.1:1", "--seed", seed.toString());
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("has no credentials"), empty.err());
    }

    @Test
    void theAdapterBindsThisMachineOnlyByDefault() {
        CommandLine cl = EdgeStopCli.commandLine();
        CommandLine.ParseResult parsed = cl.parseArgs("adapter", "--seed", "demo");
        AdapterCommand adapter = (AdapterCommand) parsed.subcommand().commandSpec().userObject();
        assertEquals("127.0.0.1", adapter.httpHost);
    }

    @Test
    void seedLoadsTheDemoDataOnlyWhenNamed() {
        Run r = run("seed", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, r.exitCode(), "a missing FILE|demo is a usage error, not the demo seed");
        assertTrue(r.err().contains("FILE|demo"), r.err());
        assertFalse(r.out().contains("loaded"), r.out());
    }

    @Test
    void helpShowsNoDemoSecret() throws Exception {
        String demoSecret = Seed.demo().credentials().get(0).accessKeySecret();
        // every command the CLI has, so a new one is checked without editing this test
        for (String command : EdgeStopCli.commandLine().getSubcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            Run r = run(command, "--help");
            assertEquals(0, r.exitCode());
            assertFalse(r.out().contains(demoSecret), command + " --help");
        }
    }
}
