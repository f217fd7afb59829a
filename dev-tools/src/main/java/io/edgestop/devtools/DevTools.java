package io.edgestop.devtools;

import java.util.List;

import io.edgestop.launcher.CommandProvider;

/** The development tools' commands, added to {@code edge-stop} when dev-tools is on the classpath (META-INF/services). */
public final class DevTools implements CommandProvider {

    @Override
    public List<Class<?>> commands() {
        return List.of(DevCommand.class, BrokerCommand.class, ConsoleCommand.class, AuditCommand.class);
    }
}
