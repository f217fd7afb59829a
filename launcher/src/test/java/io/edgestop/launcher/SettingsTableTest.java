package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/settings.md lists exactly the keys every command accepts ({@link Settings#SCOPES}),
 * each with the environment variable the loader reads and, where the default is a fixed value, that value.
 */
class SettingsTableTest {

    private static final Path SETTINGS_PAGE = Path.of("..", "docs", "settings.md");
    /** Defaults that depend on the machine or on other settings; the table describes them in words. */
    private static final Set<String> COMPUTED_DEFAULTS = Set.of("num.stream.threads", "state.dir", "query.advertised.host");

    record Row(String key, List<String> scopes, String defaultCell, String envCell) {
    }

    @Test
    void theTableListsEverySettingOfEveryCommandAndNothingElse() throws Exception {
        List<Row> rows = rows();
        Set<String> documented = new TreeSet<>();
        for (Row r : rows) {
            for (String scopeName : r.scopes()) {
                assertTrue(documented.add(scopeName + " " + r.key()), "listed twice: " + scopeName + " " + r.key());
            }
        }
        Set<String> accepted = new TreeSet<>();
        for (Settings.Scope s : Settings.SCOPES) {
            s.defaults().keySet().forEach(k -> accepted.add(s.name() + " " + k));
            accepted.add(s.name() + " kafka.*");
        }
        Set<String> missing = new TreeSet<>(accepted);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(accepted);
        assertEquals(Set.of(), missing, "settings the commands accept that the table of docs/settings.md does not list");
        assertEquals(Set.of(), extra, "rows of the table of docs/settings.md no command accepts");
    }

    @Test
    void environmentVariablesAndDefaultsAreTheLoaders() throws Exception {
        for (Row r : rows()) {
            List<Settings.Scope> scopes = r.scopes().stream().map(SettingsTableTest::scope).toList();
            String variableKey = r.key().equals("kafka.*") ? "kafka.<key>" : r.key();
            String expectedEnv = scopes.size() == 1 ? scopes.get(0).envVariable(variableKey)
                    : Settings.ENV_PREFIX + "<SCOPE>_" + variableKey.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
            assertEquals("`" + expectedEnv + "`", r.envCell(), r.key());
            if (r.key().equals("kafka.*")) {
                continue;
            }
            for (Settings.Scope s : scopes) {
                String d = s.defaults().get(r.key());
                boolean literal = r.defaultCell().matches("`[^`]*`");
                if (d == null || COMPUTED_DEFAULTS.contains(r.key())) {
                    assertFalse(literal, s.name() + " " + r.key() + " has no fixed default: describe it, do not quote a value");
                } else {
                    assertEquals("`" + d + "`", r.defaultCell(), s.name() + " " + r.key() + " default");
                }
            }
        }
    }

    private static Settings.Scope scope(String name) {
        return Settings.SCOPES.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no such command scope in the table: " + name));
    }

    /** The rows of the page's table whose header starts with "| key | component". */
    static List<Row> rows() throws Exception {
        List<String> lines = Files.readAllLines(SETTINGS_PAGE);
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith("| key | component")) {
            i++;
        }
        assertTrue(i < lines.size(), "docs/settings.md has the table whose header starts with '| key | component'");
        List<Row> rows = new ArrayList<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).substring(1).split("(?<!\\\\)\\|");
            String key = cells[0].trim();
            assertTrue(key.matches("`[^`]+`"), "key cell " + key);
            List<String> scopes = List.of(cells[1].trim().split(",\\s*"));
            rows.add(new Row(key.substring(1, key.length() - 1), scopes, cells[2].trim(), cells[3].trim()));
        }
        assertTrue(rows.size() > 40, "rows read: " + rows.size());
        return rows;
    }
}
