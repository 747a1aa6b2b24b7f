package org.dialtune.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;

/**
 * The JSON form of a {@link DataManifest}. Reading validates every field, because the paths in it
 * become file names on the user's disk and URLs on the network: a typo must stop the command with
 * the file, the entry and the field named, not fetch the wrong thing.
 */
public final class ManifestJson {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9._-]+");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final List<String> TOP_FIELDS = List.of("version", "note", "datasets");
    private static final List<String> DATASET_FIELDS = List.of("name", "license", "repo", "commit", "note", "files");
    private static final List<String> FILE_FIELDS = List.of("path", "source", "repo", "commit", "size", "sha256");

    private ManifestJson() {}

    public static DataManifest read(Path file) {
        return new Reader(file).manifest(Json.parseFile(file));
    }

    public static void write(DataManifest manifest, Path file) {
        AtomicFiles.writeString(file, Json.PRETTY.toJson(toJson(manifest)) + "\n");
    }

    static JsonObject toJson(DataManifest manifest) {
        JsonObject top = new JsonObject();
        top.addProperty("version", DataManifest.VERSION);
        putIfPresent(top, "note", manifest.note());
        JsonArray datasets = new JsonArray();
        for (ManifestDataset d : manifest.datasets()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", d.name());
            o.addProperty("license", d.license());
            o.addProperty("repo", d.repo());
            o.addProperty("commit", d.commit());
            putIfPresent(o, "note", d.note());
            JsonArray files = new JsonArray();
            for (ManifestFile f : d.files()) {
                JsonObject fo = new JsonObject();
                fo.addProperty("path", f.path());
                fo.addProperty("source", f.source());
                putIfPresent(fo, "repo", f.repo());
                putIfPresent(fo, "commit", f.commit());
                if (f.size() != null) fo.addProperty("size", f.size());
                putIfPresent(fo, "sha256", f.sha256());
                files.add(fo);
            }
            o.add("files", files);
            datasets.add(o);
        }
        top.add("datasets", datasets);
        return top;
    }

    private static void putIfPresent(JsonObject o, String key, String value) {
        if (value != null) o.addProperty(key, value);
    }

    /** Validating reader; {@code where} prefixes every message with the file and the entry. */
    private static final class Reader {
        private final Path file;
        private final Set<String> names = new HashSet<>();
        private final Set<String> paths = new HashSet<>();

        Reader(Path file) {
            this.file = file;
        }

        DataManifest manifest(JsonElement root) {
            String where = file.toString();
            JsonObject top = object(root, where, "the manifest");
            checkFields(top, TOP_FIELDS, where);
            JsonElement version = top.get("version");
            if (version == null || !version.isJsonPrimitive() || !version.getAsJsonPrimitive().isNumber()
                    || version.getAsDouble() != DataManifest.VERSION) {
                throw error(where, "version", (version == null ? "missing" : "is " + version)
                        + " (this dialtune reads version " + DataManifest.VERSION + ")");
            }
            String note = optionalString(top, "note", where);
            JsonArray array = nonEmptyArray(top, "datasets", where);
            List<ManifestDataset> datasets = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) datasets.add(dataset(array.get(i), where + ": datasets[" + i + "]"));
            return new DataManifest(note, datasets);
        }

        private ManifestDataset dataset(JsonElement e, String where) {
            JsonObject o = object(e, where, "a dataset");
            String name = string(o, "name", where);
            if (!NAME.matcher(name).matches()) throw error(where, "name", "\"" + name + "\" is not a folder name");
            where += " \"" + name + "\"";
            checkFields(o, DATASET_FIELDS, where);
            if (!names.add(name)) throw error(where, "name", "dataset \"" + name + "\" is listed twice");
            String license = string(o, "license", where);
            String repo = matching(o, "repo", REPO, "owner/name", where);
            String commit = matching(o, "commit", COMMIT, "a full 40-digit lower-case commit id", where);
            String note = optionalString(o, "note", where);
            JsonArray array = nonEmptyArray(o, "files", where);
            List<ManifestFile> files = new ArrayList<>();
            for (int i = 0; i < array.size(); i++) files.add(file(array.get(i), name, where + ": files[" + i + "]"));
            return new ManifestDataset(name, license, repo, commit, note, files);
        }

        private ManifestFile file(JsonElement e, String dataset, String where) {
            JsonObject o = object(e, where, "a file");
            checkFields(o, FILE_FIELDS, where);
            String path = relativePath(o, "path", where);
            if (!path.startsWith(dataset + "/")) {
                throw error(where, "path", "\"" + path + "\" must start with the dataset folder \"" + dataset + "/\"");
            }
            if (!paths.add(path)) throw error(where, "path", "\"" + path + "\" is listed twice");
            String source = relativePath(o, "source", where);
            String repo = o.has("repo") ? matching(o, "repo", REPO, "owner/name", where) : null;
            String commit = o.has("commit") ? matching(o, "commit", COMMIT, "a full 40-digit lower-case commit id", where) : null;
            if ((repo == null) != (commit == null)) {
                throw error(where, repo == null ? "repo" : "commit",
                        "missing (a file from another repository needs both \"repo\" and \"commit\")");
            }
            Long size = null;
            if (o.has("size")) {
                JsonElement s = o.get("size");
                if (!s.isJsonPrimitive() || !s.getAsJsonPrimitive().isNumber() || s.getAsDouble() < 0
                        || s.getAsDouble() != Math.rint(s.getAsDouble())) {
                    throw error(where, "size", s + " is not a byte count");
                }
                size = s.getAsLong();
            }
            String sha = o.has("sha256") ? matching(o, "sha256", SHA256, "64 lower-case hex digits", where) : null;
            return new ManifestFile(path, source, repo, commit, size, sha);
        }

        private String relativePath(JsonObject o, String field, String where) {
            String p = string(o, field, where);
            boolean bad = p.startsWith("/") || p.endsWith("/") || p.contains("\\") || p.contains("//");
            for (String seg : p.split("/")) bad |= seg.equals("..") || seg.equals(".");
            if (bad) throw error(where, field, "\"" + p + "\" is not a plain relative path (a/b/c, no . or ..)");
            return p;
        }

        private String matching(JsonObject o, String field, Pattern pattern, String what, String where) {
            String v = string(o, field, where);
            if (!pattern.matcher(v).matches()) throw error(where, field, "\"" + v + "\" is not " + what);
            return v;
        }

        private String string(JsonObject o, String field, String where) {
            JsonElement v = o.get(field);
            if (v == null) throw error(where, field, "missing");
            if (!v.isJsonPrimitive() || !((JsonPrimitive) v).isString() || v.getAsString().isBlank()) {
                throw error(where, field, v + " is not a non-empty string");
            }
            return v.getAsString();
        }

        private String optionalString(JsonObject o, String field, String where) {
            return o.has(field) ? string(o, field, where) : null;
        }

        private JsonArray nonEmptyArray(JsonObject o, String field, String where) {
            JsonElement v = o.get(field);
            if (v == null) throw error(where, field, "missing");
            if (!v.isJsonArray() || v.getAsJsonArray().isEmpty()) throw error(where, field, "is not a non-empty list");
            return v.getAsJsonArray();
        }

        private JsonObject object(JsonElement e, String where, String what) {
            if (!e.isJsonObject()) throw new UserError(where + ": " + what + " must be a JSON object");
            return e.getAsJsonObject();
        }

        private void checkFields(JsonObject o, List<String> known, String where) {
            for (Map.Entry<String, JsonElement> field : o.entrySet()) {
                if (!known.contains(field.getKey())) {
                    throw error(where, field.getKey(), "unknown field (use: " + String.join(", ", known) + ")");
                }
            }
        }

        private UserError error(String where, String field, String what) {
            return new UserError(where + ": field \"" + field + "\": " + what);
        }
    }
}
