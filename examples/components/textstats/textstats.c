// textstats: two tools over the session's files, as a Spindle WebAssembly component (see docs/components.md).
//   word_count(path)        -> {"lines":N,"words":N,"bytes":N} of /workspace/<path>
//   json_format(path)       -> rewrites /workspace/<path> as indented JSON, answers "Formatted <path>"
// Build: clang --target=wasm32-wasi -O2 -Wl,--strip-all -Wl,-z,stack-size=1048576 -o textstats.wasm textstats.c
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *DESCRIBE =
    "{\"tools\":["
    "{\"name\":\"word_count\",\"description\":\"Count lines, words and bytes of a file\","
    "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"description\":\"File to count\"}},"
    "\"required\":[\"path\"],\"additionalProperties\":false}},"
    "{\"name\":\"json_format\",\"description\":\"Reformat a JSON file with two-space indentation\","
    "\"inputSchema\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\",\"description\":\"JSON file to reformat\"}},"
    "\"required\":[\"path\"],\"additionalProperties\":false}}]}";

static char *read_all(FILE *in, size_t *size) {
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, in)) > 0) {
        len += n;
        if (cap - len < 2) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger) { free(buf); return NULL; }
            buf = bigger;
        }
    }
    buf[len] = '\0';
    *size = len;
    return buf;
}

// The string value of "key" in a flat JSON text (enough for the request's "tool" and "args.path").
static char *string_field(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = strstr(json, pattern);
    if (!start) return NULL;
    start += strlen(pattern);
    char *out = malloc(strlen(start) + 1), *o = out;
    for (const char *p = start; *p && *p != '"'; p++) {
        if (*p == '\\' && p[1]) p++;
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

static void answer_error(const char *type, const char *message, const char *path) {
    printf("{\"success\":false,\"error_type\":\"%s\",\"result\":\"%s%s\"}", type, message, path ? path : "");
}

// The content of /workspace/<path>, or NULL after answering FileNotFound.
static char *read_workspace(const char *path, char *full, size_t full_size, size_t *size) {
    snprintf(full, full_size, "/workspace/%s", path);
    FILE *f = fopen(full, "rb");
    if (!f) { answer_error("FileNotFound", "File not found: ", path); return NULL; }
    char *text = read_all(f, size);
    fclose(f);
    return text;
}

static int word_count(const char *path) {
    char full[4200];
    size_t size;
    char *text = read_workspace(path, full, sizeof full, &size);
    if (!text) return 0;
    long lines = 0, words = 0;
    int in_word = 0;
    for (size_t i = 0; i < size; i++) {
        char c = text[i];
        if (c == '\n') lines++;
        int space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (!space && !in_word) words++;
        in_word = !space;
    }
    if (size > 0 && text[size - 1] != '\n') lines++;
    printf("{\"success\":true,\"result\":{\"lines\":%ld,\"words\":%ld,\"bytes\":%zu}}", lines, words, size);
    free(text);
    return 0;
}

static void indent(FILE *out, int depth) {
    fputc('\n', out);
    for (int i = 0; i < depth; i++) fputs("  ", out);
}

static int json_format(const char *path) {
    char full[4200];
    size_t size;
    char *text = read_workspace(path, full, sizeof full, &size);
    if (!text) return 0;
    size_t cap = size * 4 + 64;
    char *formatted = malloc(cap);
    FILE *out = fmemopen(formatted, cap, "w");
    int depth = 0, in_string = 0;
    for (size_t i = 0; i < size; i++) {
        char c = text[i];
        if (in_string) {
            fputc(c, out);
            if (c == '\\' && i + 1 < size) fputc(text[++i], out);
            else if (c == '"') in_string = 0;
            continue;
        }
        switch (c) {
            case ' ': case '\n': case '\t': case '\r': break;
            case '"': in_string = 1; fputc(c, out); break;
            case '{': case '[': {
                size_t j = i + 1;
                while (j < size && strchr(" \n\t\r", text[j])) j++;
                if (j < size && (text[j] == '}' || text[j] == ']')) { fputc(c, out); fputc(text[j], out); i = j; break; }
                fputc(c, out); indent(out, ++depth); break;
            }
            case '}': case ']': indent(out, --depth); fputc(c, out); break;
            case ',': fputc(c, out); indent(out, depth); break;
            case ':': fputs(": ", out); break;
            default: fputc(c, out);
        }
    }
    if (in_string || depth != 0) {
        fclose(out);
        answer_error("InvalidArguments", "Not valid JSON (unbalanced brackets or an open string): ", path);
        return 0;
    }
    fputc('\n', out);
    long length = ftell(out);
    fclose(out);
    FILE *f = fopen(full, "wb");
    fwrite(formatted, 1, (size_t) length, f);
    fclose(f);
    printf("{\"success\":true,\"result\":\"Formatted %s\"}", path);
    return 0;
}

int main(void) {
    size_t size;
    char *request = read_all(stdin, &size);
    if (!request) return 1;
    if (strstr(request, "\"describe\":true")) { fputs(DESCRIBE, stdout); return 0; }
    char *tool = string_field(request, "tool");
    char *path = string_field(request, "path");
    if (!tool || !path) { answer_error("InvalidArguments", "Missing tool or path", NULL); return 0; }
    if (strcmp(tool, "word_count") == 0) return word_count(path);
    if (strcmp(tool, "json_format") == 0) return json_format(path);
    answer_error("UnknownTool", "Unknown tool: ", tool);
    return 0;
}
