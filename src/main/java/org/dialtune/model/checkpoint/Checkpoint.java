package org.dialtune.model.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.ModelConfig;
import org.dialtune.model.ModelFamilies;
import org.dialtune.model.ModelFamily;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.generate.GenerationConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and saves checkpoints of any registered family in Hugging Face layout: {@code config.json}
 * (whose {@code model_type} picks the family in {@link ModelFamilies}), {@code model.safetensors} (or a
 * sharded index) with HF state-dict names, and {@code tokenizer.json} carried along.
 */
public final class Checkpoint {
    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoint.class);

    /** A loaded model, and how many tensors in the files it did not use (reported, not fatal). */
    public record Loaded(Seq2SeqLm model, List<String> unexpectedTensors) {}

    private Checkpoint() {}

    public static Seq2SeqLm load(Path dir) {
        return load(dir, Device.cpu()).model();
    }

    public static Loaded load(Path dir, Device device) {
        if (!Files.isDirectory(dir)) throw new UserError(dir + ": not a checkpoint directory");
        ModelConfig config = ModelFamilies.readConfig(dir.resolve(CONFIG));
        ModelFamily family = ModelFamilies.of(config);
        try (CheckpointTensors files = CheckpointTensors.open(dir)) {
            Map<String, Shape> layout = family.layout(config);
            Set<String> accepted = new HashSet<>(layout.keySet());
            for (String name : layout.keySet()) {
                accepted.addAll(family.storedAs(config, name));
                accepted.addAll(family.tiedCopies(config, name));
            }
            List<String> unexpected = new ArrayList<>();
            for (String name : files.tensors().keySet()) {
                if (!accepted.contains(name)) unexpected.add(name);
            }
            Map<String, String> stored = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> e : layout.entrySet()) {
                String from = storedName(files, family.storedAs(config, e.getKey()));
                check(files, from, e.getValue(), family.missingTensorHint(config, from));
                stored.put(e.getKey(), from);
                if (!from.equals(e.getKey())) {
                    LOG.warn("{}: no tensor \"{}\"; using \"{}\" (another name of the same table, as older"
                            + " checkpoints store it)", dir, e.getKey(), from);
                }
                checkTiedCopies(files, from, family.tiedCopies(config, e.getKey()));
            }
            if (!unexpected.isEmpty()) {
                LOG.warn("{}: ignored {} unexpected tensor(s) not used by the {} model, e.g. \"{}\"",
                        dir, unexpected.size(), config.modelType(), unexpected.get(0));
            }
            Seq2SeqLm model = family.create(config, device, (name, shape) -> files.readFloat32(stored.get(name)));
            return new Loaded(model, List.copyOf(unexpected));
        }
    }

    /** The first of a layout tensor's stored names present in the files (itself when none is: reported missing). */
    private static String storedName(CheckpointTensors files, List<String> candidates) {
        return candidates.stream().filter(files::has).findFirst().orElse(candidates.get(0));
    }

    /** The tied copies present in the files must equal the table they alias: transformers would run them untied. */
    private static void checkTiedCopies(CheckpointTensors files, String shared, List<String> copies) {
        ByteBuffer table = null;
        for (String alias : copies) {
            if (alias.equals(shared) || !files.has(alias)) continue;
            if (table == null) table = files.readFloat32(shared);
            if (!Arrays.equals(files.info(alias).shape(), files.info(shared).shape())
                    || !files.readFloat32(alias).equals(table)) {
                throw new UserError(files.fileOf(alias) + ": tensor \"" + alias + "\" differs from \"" + shared
                        + "\" but " + CONFIG + " has \"tie_word_embeddings\": true, which would ignore it: set it to "
                        + "false to use the tensor, or drop the tensor");
            }
        }
    }

    private static void check(CheckpointTensors files, String name, Shape shape, String missingHint) {
        TensorInfo info = files.info(name);
        if (info == null) {
            throw new UserError(files.fileOf(name) + ": tensor \"" + name + "\" missing (the weights do not match "
                    + CONFIG + missingHint + ")");
        }
        if (!Arrays.equals(info.shape(), shape.getShape())) {
            throw new UserError(files.fileOf(name) + ": tensor \"" + name + "\": shape " + info.shapeText()
                    + " does not match " + CONFIG + " (expected " + Arrays.toString(shape.getShape()) + ")");
        }
        if (SafeTensorsFile.bytesPerElement(info.dtype()) == 0) {
            throw new UserError(files.fileOf(name) + ": tensor \"" + name + "\": dtype " + info.dtype()
                    + " unsupported (use F32, F16 or BF16)");
        }
    }

    /**
     * Writes {@code config.json}, {@code model.safetensors} (HF names, no tied aliases, buffers
     * included), {@code generation_config.json} as transformers 5 writes it ({@link
     * GenerationConfig#toSave}) and, when {@code tokenizerFrom} has one, {@code tokenizer.json},
     * into a temporary directory beside {@code dir} that then replaces {@code dir} in one move.
     */
    public static void save(Seq2SeqLm model, Path dir, Path tokenizerFrom) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        JsonObject generation = GenerationConfig.toSave(model.config());
        if (generation != null) {
            files.put(GenerationConfig.FILE, (Json.PRETTY.toJson(generation) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        if (tokenizerFrom != null) {
            Path tok = Files.isDirectory(tokenizerFrom) ? tokenizerFrom.resolve(TOKENIZER) : tokenizerFrom;
            if (Files.isRegularFile(tok)) {
                try {
                    files.put(TOKENIZER, Files.readAllBytes(tok));
                } catch (IOException e) {
                    throw new UserError(tok + ": cannot read: " + e.getMessage(), e);
                }
            }
        }
        saveWith(model, dir, files);
    }

    /**
     * Writes {@code config.json}, {@code model.safetensors} and exactly the other files given (name →
     * content, e.g. a rewritten {@code tokenizer.json} and {@code generation_config.json}) the same atomic
     * way as {@link #save(Seq2SeqLm, Path, Path)}.
     */
    public static void saveWith(Seq2SeqLm model, Path dir, Map<String, byte[]> files) {
        try {
            AtomicFiles.writeDirectory(dir, tmp -> writeInto(model, tmp, files));
        } catch (IOException e) {
            throw new UserError(dir + ": cannot write checkpoint: " + e.getMessage(), e);
        }
    }

    private static void writeInto(Seq2SeqLm model, Path dir, Map<String, byte[]> files) throws IOException {
        AtomicFiles.writeString(dir.resolve(CONFIG), Json.PRETTY.toJson(model.config().toJson()) + "\n");
        Map<String, SafeTensorsWriter.Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.tensors().entrySet()) {
            NDArray a = e.getValue();
            entries.put(e.getKey(), new SafeTensorsWriter.Entry(a.getShape().getShape(), () -> bytes(a)));
        }
        SafeTensorsWriter.write(dir.resolve(CheckpointTensors.SINGLE), entries);
        for (Map.Entry<String, byte[]> f : files.entrySet()) Files.write(dir.resolve(f.getKey()), f.getValue());
    }

    private static ByteBuffer bytes(NDArray a) {
        if (!a.getDevice().isGpu()) return a.toByteBuffer();
        try (NDArray host = a.toDevice(Device.cpu(), true)) {
            ByteBuffer b = host.toByteBuffer();
            return java.nio.ByteBuffer.allocateDirect(b.remaining()).order(b.order()).put(b).flip();
        }
    }
}
