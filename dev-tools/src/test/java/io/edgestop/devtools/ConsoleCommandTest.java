package io.edgestop.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.devtools.console.Console;
import io.edgestop.launcher.EdgeStopCli;

/** {@code edge-stop console} outside dev: its password from a file (made there when missing, never printed), this machine only. */
class ConsoleCommandTest {

    @Test
    void aMissingFileIsCreatedForItsOwnerOnlyAndReadAgainNextTime(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secrets/console-password");
        String made = Console.passwordFrom(file);
        assertTrue(made.length() >= 32, made);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(made, Console.passwordFrom(file));
        Files.writeString(file, "  an operator's own password \nsecond line\n");
        assertEquals("an operator's own password", Console.passwordFrom(file));
        Files.writeString(file, "\n");
        assertThrows(IOException.class, () -> Console.passwordFrom(file));
    }

    @Test
    void theConsoleCommandNeedsAPasswordFile() {
        StringWriter err = new StringWriter();
        int rc = EdgeStopCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute("console", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(2, rc, err.toString());
        assertTrue(err.toString().contains("--password-file"), err.toString());
    }

    @Test
    void theConsoleBindsThisMachineOnlyByDefault() {
        picocli.CommandLine.ParseResult parsed = EdgeStopCli.commandLine().parseArgs("console", "--password-file", "p");
        assertEquals("127.0.0.1", ((ConsoleCommand) parsed.subcommand().commandSpec().userObject()).httpHost);
    }
}
