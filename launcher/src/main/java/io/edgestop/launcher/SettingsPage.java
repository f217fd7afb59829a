package io.edgestop.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.config.ConfigDef;

import io.edgestop.kafka.KafkaClientSettings;

/**
 * Renders the table of docs/settings.md from the settings every command accepts ({@link Settings#SCOPES}): each
 * key as its component declares it, with the command's default; keys the commands share with the same default and
 * description in one row. It replaces what is between the page's two markers; {@code SettingsTableTest} fails while
 * the checked-in page differs. Regenerate: {@value #COMMAND}.
 */
public final class SettingsPage {

    static final String BEGIN = "<!-- generated: settings table -->";
    static final String END = "<!-- end generated -->";
    /** From the repository's root; offline once the build's dependencies are in the local repository. */
    static final String COMMAND = "./mvnw -q -B -pl launcher -am package -DskipTests"
            + " && java -cp launcher/target/edge-stop.jar io.edgestop.launcher.SettingsPage docs/settings.md";

    /** {@code kafka.*} is declared nowhere: every command passes it through to its Kafka clients. */
    private static final String KAFKA_MEANING = "Kafka client settings of every client of the command, without the"
            + " prefix (see [Kafka security](operations.md#kafka-security)); `--kafka-config FILE`, `--kafka KEY=VALUE`";

    private SettingsPage() {
    }

    /** Rewrites the table of the page {@code args[0]} (docs/settings.md). */
    public static void main(String[] args) throws IOException {
        Path page = Path.of(args[0]);
        Files.writeString(page, withTable(Files.readString(page)));
    }

    /** {@code page} with the current table between its markers. */
    static String withTable(String page) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the page has no " + BEGIN + " ... " + END);
        }
        return page.substring(0, begin + BEGIN.length()) + "\n" + table() + page.substring(end);
    }

    /** The settings of every command first, then the others in the order of the commands and their declarations. */
    static String table() {
        Map<List<String>, List<Settings.Scope>> scopesOfRow = new LinkedHashMap<>();
        for (Settings.Scope s : Settings.SCOPES) {
            for (String key : s.declared().names()) {
                List<String> row = List.of(key, defaultOf(s, key), s.declared().configKeys().get(key).documentation);
                scopesOfRow.computeIfAbsent(row, r -> new ArrayList<>()).add(s);
            }
        }
        StringBuilder t = new StringBuilder("| key | component | default | environment | meaning |\n|---|---|---|---|---|\n");
        scopesOfRow.forEach((row, scopes) -> {
            if (scopes.equals(Settings.SCOPES)) {
                t.append(row(row.get(0), row.get(0), scopes, row.get(1), row.get(2)));
            }
        });
        t.append(row(KafkaClientSettings.PREFIX + "*", KafkaClientSettings.PREFIX + "<key>", Settings.SCOPES, "none",
                KAFKA_MEANING));
        scopesOfRow.forEach((row, scopes) -> {
            if (!scopes.equals(Settings.SCOPES)) {
                t.append(row(row.get(0), row.get(0), scopes, row.get(1), row.get(2)));
            }
        });
        return t.toString();
    }

    /**
     * The command's default: the runner's own as a value; else the declaration's words for a default that is
     * computed or conditional, its value, or none.
     */
    private static String defaultOf(Settings.Scope scope, String key) {
        ConfigDef.ConfigKey declared = scope.declared().configKeys().get(key);
        String value = scope.defaults().get(key);
        String declaredValue = declared.hasDefault() ? ConfigDef.convertToString(declared.defaultValue, declared.type) : null;
        if (declared.alternativeString != null && Objects.equals(value, declaredValue)) {
            return declared.alternativeString;
        }
        if (value != null) {
            return "`" + value + "`";
        }
        return declared.hasDefault() ? "none" : "none: required";
    }

    /** A row; {@code variableKey} is the key as its environment variable names it. */
    private static String row(String key, String variableKey, List<Settings.Scope> scopes, String defaultValue,
            String meaning) {
        String environment = scopes.size() == 1 ? scopes.get(0).envVariable(variableKey)
                : Settings.ENV_PREFIX + "<SCOPE>_" + variableKey.toUpperCase(Locale.ROOT).replace('.', '_');
        return "| `" + key + "` | " + String.join(", ", scopes.stream().map(Settings.Scope::name).toList()) + " | "
                + defaultValue + " | `" + environment + "` | " + meaning + " |\n";
    }
}
