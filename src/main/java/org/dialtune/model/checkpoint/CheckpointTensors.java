package org.dialtune.model.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;

/**
 * The tensors of a checkpoint directory: a single {@code model.safetensors}, or the shards listed in
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name → shard file), as HF writes
 * them for large models.
 */
public final class CheckpointTensors implements AutoCloseable {
    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private final Path dir;
    private final List<SafeTensorsFile> files;
    private final Map<String, SafeTensorsFile> byName;

    private CheckpointTensors(Path dir, List<SafeTensorsFile> files, Map<String, SafeTensorsFile> byName) {
        this.dir = dir;
        this.files = files;
        this.byName = byName;
    }

    public static CheckpointTensors open(Path dir) {
        if (Files.isRegularFile(dir.resolve(SINGLE))) {
            SafeTensorsFile f = SafeTensorsFile.open(dir.resolve(SINGLE));
            Map<String, SafeTensorsFile> byName = new LinkedHashMap<>();
            f.tensors().keySet().forEach(n -> byName.put(n, f));
            return new CheckpointTensors(dir, List.of(f), byName);
        }
        if (Files.isRegularFile(dir.resolve(INDEX))) return openSharded(dir);
        throw new UserError(dir + ": no " + SINGLE + " or " + INDEX
                + " (a checkpoint directory needs the weights next to config.json)");
    }

    private static CheckpointTensors openSharded(Path dir) {
        Path index = dir.resolve(INDEX);
        JsonElement root = Json.parseFile(index);
        JsonElement map = root.isJsonObject() ? root.getAsJsonObject().get("weight_map") : null;
        if (map == null || !map.isJsonObject()) {
            throw new UserError(index + ": field \"weight_map\" missing (expected {tensor name: shard file})");
        }
        Map<String, SafeTensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafeTensorsFile> byName = new LinkedHashMap<>();
        List<SafeTensorsFile> opened = new ArrayList<>();
        try {
            for (Map.Entry<String, JsonElement> e : ((JsonObject) map).entrySet()) {
                String shard = e.getValue().getAsString();
                SafeTensorsFile f = shards.get(shard);
                if (f == null) {
                    f = SafeTensorsFile.open(dir.resolve(shard));
                    shards.put(shard, f);
                    opened.add(f);
                }
                if (!f.tensors().containsKey(e.getKey())) {
                    throw new UserError(index + ": field \"weight_map\": tensor \"" + e.getKey() + "\" is not in "
                            + shard + " (the index does not match its shards)");
                }
                byName.put(e.getKey(), f);
            }
        } catch (RuntimeException ex) {
            opened.forEach(SafeTensorsFile::close);
            throw ex;
        }
        return new CheckpointTensors(dir, opened, byName);
    }

    /** Tensor names in file order. */
    public Map<String, TensorInfo> tensors() {
        Map<String, TensorInfo> m = new LinkedHashMap<>();
        byName.forEach((n, f) -> m.put(n, f.tensors().get(n)));
        return Collections.unmodifiableMap(m);
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** The file holding {@code name} (for error messages). */
    public Path fileOf(String name) {
        SafeTensorsFile f = byName.get(name);
        return f == null ? dir.resolve(files.size() == 1 ? SINGLE : INDEX) : f.path();
    }

    public TensorInfo info(String name) {
        SafeTensorsFile f = byName.get(name);
        return f == null ? null : f.tensors().get(name);
    }

    public ByteBuffer readFloat32(String name) {
        SafeTensorsFile f = byName.get(name);
        if (f == null) throw new UserError(dir + ": tensor \"" + name + "\" missing");
        return f.readFloat32(name);
    }

    @Override
    public void close() {
        files.forEach(SafeTensorsFile::close);
    }
}
