package dev.spindle.vfs.tools;

import dev.spindle.core.Arguments;
import dev.spindle.core.Json;
import dev.spindle.core.Schema;
import dev.spindle.core.Workload;
import dev.spindle.core.files.Glob;
import dev.spindle.core.files.SessionFiles;

/** Files whose path (or name, for a glob without {@code /}) matches a glob, as a JSON array of paths. */
public final class FindFiles extends VfsTool {
    public FindFiles() {
        super("find_files", "Find files by glob, e.g. *.py (any directory) or src/**/test_*.py; answers a JSON array of paths",
                Schema.object().required("glob", Schema.string("Glob to match: against the name, or the whole path when it contains /", 1)).build(),
                Schema.hints(true, false, true));
    }

    /** Runs a glob against every path in the session: on a worker, whatever the store. */
    @Override
    public Workload workload() {
        return Workload.OUTSIDE;
    }

    @Override
    String run(SessionFiles files, Arguments args) {
        var matches = Glob.matcher(args.string("glob"));
        var paths = Json.array();
        files.sizes().keySet().stream().filter(matches).forEach(paths::add);
        return Json.write(paths);
    }
}
