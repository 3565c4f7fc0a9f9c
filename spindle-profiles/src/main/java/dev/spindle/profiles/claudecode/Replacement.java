package dev.spindle.profiles.claudecode;

import dev.spindle.core.ErrorType;
import dev.spindle.core.SpindleException;

/** One exact-string replacement as Claude Code's Edit makes it (MultiEdit makes several), with its refusals. */
record Replacement(String oldString, String newString, boolean replaceAll) {

    /** The content after the replacement; where it landed is {@link #at}. */
    String apply(String content) {
        if (oldString.equals(newString)) {
            throw new SpindleException(ErrorType.InvalidArguments, "No changes to make: old_string and new_string are exactly the same.");
        }
        if (oldString.isEmpty()) {
            if (!content.isEmpty()) {
                throw new SpindleException(ErrorType.AlreadyExists, "Cannot create new file - file already exists.");
            }
            return newString;
        }
        int count = occurrences(content);
        if (count == 0) {
            throw new SpindleException(ErrorType.InvalidArguments, "String to replace not found in file.\nString: " + oldString);
        }
        if (count > 1 && !replaceAll) {
            throw new SpindleException(ErrorType.InvalidArguments, "Found " + count + " matches of the string to replace, but replace_all is false. "
                    + "To replace all occurrences, set replace_all to true. To replace only one occurrence, please provide more context to uniquely identify the instance.\nString: " + oldString);
        }
        if (replaceAll) {
            return content.replace(oldString, newString);
        }
        int at = content.indexOf(oldString);
        return content.substring(0, at) + newString + content.substring(at + oldString.length());
    }

    /** Where in {@code before} the (first) replacement starts. */
    int at(String before) {
        return oldString.isEmpty() ? 0 : before.indexOf(oldString);
    }

    private int occurrences(String content) {
        int count = 0;
        for (int at = content.indexOf(oldString); at >= 0; at = content.indexOf(oldString, at + oldString.length())) {
            count++;
        }
        return count;
    }
}
