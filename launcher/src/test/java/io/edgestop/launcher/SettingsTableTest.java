package io.edgestop.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The table of docs/settings.md is the one {@link SettingsPage} renders from the settings the commands accept
 * ({@link Settings#SCOPES}): a key, default or description changed in a declaration fails here until the page is
 * regenerated.
 */
class SettingsTableTest {

    private static final Path SETTINGS_PAGE = Path.of("..", "docs", "settings.md");

    @Test
    void theCheckedInPageIsTheGeneratedOne() throws Exception {
        String page = Files.readString(SETTINGS_PAGE);
        List<String> checkedIn = page.lines().toList();
        List<String> generated = SettingsPage.withTable(page).lines().toList();
        for (int i = 0; i < Math.max(checkedIn.size(), generated.size()); i++) {
            String was = i < checkedIn.size() ? checkedIn.get(i) : "(end of page)";
            String is = i < generated.size() ? generated.get(i) : "(end of page)";
            if (!was.equals(is)) {
                fail("docs/settings.md is stale; regenerate it from the repository's root with\n    " + SettingsPage.COMMAND
                        + "\nline " + (i + 1) + " is\n    " + was + "\nand should be\n    " + is);
            }
        }
    }

    @Test
    void thePageShowsTheCommandThatRegeneratesIt() throws Exception {
        assertTrue(Files.readString(SETTINGS_PAGE).contains(SettingsPage.COMMAND), SettingsPage.COMMAND);
    }
}
