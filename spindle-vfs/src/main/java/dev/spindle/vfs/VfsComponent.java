package dev.spindle.vfs;

import dev.spindle.core.Capability;
import dev.spindle.core.Component;
import dev.spindle.core.Tool;
import dev.spindle.vfs.tools.AppendFile;
import dev.spindle.vfs.tools.CopyFile;
import dev.spindle.vfs.tools.DeleteFile;
import dev.spindle.vfs.tools.EditFile;
import dev.spindle.vfs.tools.FileInfo;
import dev.spindle.vfs.tools.FindFiles;
import dev.spindle.vfs.tools.ListDirectory;
import dev.spindle.vfs.tools.ListFiles;
import dev.spindle.vfs.tools.MakeDirectory;
import dev.spindle.vfs.tools.MoveFile;
import dev.spindle.vfs.tools.ReadFile;
import dev.spindle.vfs.tools.SearchFiles;
import dev.spindle.vfs.tools.WriteFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The virtual filesystem: one isolated file tree per session, kept in the store, never on the host's
 * disk. The first four tools are DeepFabric's builtins with the reference's exact result strings.
 */
public final class VfsComponent implements Component {
    public static final String NAME = "vfs";

    private static final List<Tool> TOOLS = List.of(
            new ReadFile(), new WriteFile(), new ListFiles(), new DeleteFile(),
            new ListDirectory(), new MakeDirectory(), new MoveFile(), new CopyFile(),
            new AppendFile(), new EditFile(), new SearchFiles(), new FindFiles(), new FileInfo());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Virtual filesystem: an isolated file tree per session";
    }

    private static final Map<String, Tool> BY_NAME = TOOLS.stream().collect(Collectors.toUnmodifiableMap(t -> t.definition().name(), t -> t));

    @Override
    public List<Tool> tools() {
        return TOOLS;
    }

    @Override
    public Optional<Tool> tool(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.SESSION_FILES);
    }
}
