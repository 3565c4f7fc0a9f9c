package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.wire.Wire;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureKindTest {

    @Test
    void toolFailuresAreTheCatalogueWithTheirStatuses() {
        assertThat(statuses(ErrorType.values())).containsExactlyEntriesOf(ordered(
                "InvalidRequest", 400, "InvalidArguments", 400, "UnknownTool", 400, "FileNotFound", 404, "IOError", 500,
                "RepoNotAllowed", 403, "WriteNotAllowed", 403, "APIError", 502, "PermissionDenied", 403, "NotADirectory", 409,
                "IsADirectory", 409, "AlreadyExists", 409, "QuotaExceeded", 422, "Timeout", 504, "NotAllowed", 403,
                "RateLimited", 429, "ComponentFailed", 502, "UnknownComponent", 404, "Conflict", 409, "BinaryFile", 422));
    }

    @Test
    void refusedRequestsAreTheirOwnVocabularyWithTheSameWireNames() {
        assertThat(statuses(HttpError.values())).containsExactlyEntriesOf(ordered(
                "UnknownSession", 404, "Unauthorized", 401, "NotFound", 404, "MethodNotAllowed", 405, "PayloadTooLarge", 413,
                "UriTooLong", 414, "HeadersTooLarge", 431, "Internal", 500, "Forbidden", 403, "UnsupportedMediaType", 415,
                "Overloaded", 503));
    }

    @Test
    void aToolParsesOnlyTheCatalogue() {
        assertThat(ErrorType.parse("FileNotFound")).contains(ErrorType.FileNotFound);
        assertThat(ErrorType.parse("NotFound")).isEmpty();
        assertThat(ErrorType.parse("fileNotFound")).isEmpty();
        assertThat(ErrorType.parse(null)).isEmpty();
    }

    @Test
    void theWireParsesBothVocabularies() {
        assertThat(FailureKind.parse("Timeout")).contains(ErrorType.Timeout);
        assertThat(FailureKind.parse("Overloaded")).contains(HttpError.Overloaded);
        assertThat(FailureKind.parse("HTTPError")).isEmpty();
        assertThat(FailureKind.parse(null)).isEmpty();
        assertThat(Wire.errorType("Unauthorized")).isEqualTo(HttpError.Unauthorized);
        assertThat(Wire.errorType("Bogus")).as("a name outside the vocabularies").isEqualTo(ErrorType.ComponentFailed);
        assertThat(Wire.errorType(null)).isNull();
    }

    private static Map<String, Integer> statuses(FailureKind[] kinds) {
        Map<String, Integer> statuses = new LinkedHashMap<>();
        Arrays.stream(kinds).forEach(kind -> statuses.put(kind.name(), kind.httpStatus()));
        return statuses;
    }

    private static Map<String, Integer> ordered(Object... pairs) {
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return map;
    }
}
