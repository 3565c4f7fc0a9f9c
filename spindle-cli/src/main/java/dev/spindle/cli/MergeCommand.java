package dev.spindle.cli;

import dev.spindle.generator.DatasetMerge;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code spindle merge OUT PART...}: one dataset from the parts of {@code generate --shard}, in sample
 * order. Exit 2, with OUT untouched, when the parts overlap, leave a gap, or hold a line that is not a record.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Join the parts made by generate --shard K/N into one dataset in sample order.",
                "Refuses (exit 2, OUT untouched) a sample in two parts or a missing sample."})
final class MergeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OUT", description = "The merged JSONL dataset (replaced).")
    Path out;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "PART", description = "The parts' JSONL datasets.")
    List<Path> parts;

    @Override
    public Integer call() {
        int records = DatasetMerge.merge(out, parts);
        System.err.println("merged " + records + " records from " + parts.size() + " parts into " + out);
        return 0;
    }
}
