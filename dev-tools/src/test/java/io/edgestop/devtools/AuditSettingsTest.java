package io.edgestop.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import io.edgestop.launcher.EdgeStopCli;

/** {@code audit verify} takes the settings of scope audit, its command's (docs/settings.md). */
class AuditSettingsTest {

    @Test
    void aSubcommandTakesTheScopeOfItsCommand() {
        StringWriter err = new StringWriter();
        assertEquals(2, EdgeStopCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute("audit", "verify", "-b", "127.0.0.1:1", "-D", "quota.per.minute=1"));
        assertTrue(err.toString().startsWith("edge-stop audit verify: unknown setting 'quota.per.minute' (from -D/--set)"),
                err.toString());
    }
}
