package org.dialtune.model.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;
import org.dialtune.common.UserError;
import org.dialtune.model.BartConfig;
import org.dialtune.model.BartLayout;
import org.dialtune.model.BartModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and saves BART checkpoints in Hugging Face layout: {@code config.json}, {@code model.safetensors}
 * (or a sharded index) with HF state-dict names, and {@code tokenizer.json} carried along.
 */
public final class BartCheckpoint {
    public static final String CONFIG = "config.json";
    public static final String TOKENIZER = "tokenizer.json";
    private static final Logger LOG = LoggerFactory.getLogger(BartCheckpoint.class);

    /** A loaded model, and how many tensors in the files it did not use (reported, not fatal). */
    public record Loaded(BartModel model, List<String> unexpectedTensors) {}

    private BartCheckpoint() {}

    public static BartModel load(Path dir) {
        return load(dir, Device.cpu()).model();
    }

    public static Loaded load(Path dir, Device device) {
        if (!Files.isDirectory(dir)) throw new UserError(dir + ": not a checkpoint directory");
        BartConfig config = BartConfig.load(dir.resolve(CONFIG));
        try (CheckpointTensors files = CheckpointTensors.open(dir)) {
            Map<String, Shape> layout = BartLayout.tensors(config);
            List<String> unexpected = new ArrayList<>();
            for (String name : files.tensors().keySet()) {
                if (!layout.containsKey(name) && !BartLayout.TIED_ALIASES.contains(name)) unexpected.add(name);
            }
            Map<String, String> stored = new LinkedHashMap<>();
            for (Map.Entry<String, Shape> e : layout.entrySet()) {
                String from = storedName(files, config, e.getKey());
                check(files, from, e.getValue(), config);
                stored.put(e.getKey(), from);
                if (!from.equals(e.getKey())) {
                    LOG.warn("{}: no tensor \"{}\"; using \"{}\" (one table in checkpoints written before transformers 5)",
                            dir, e.getKey(), from);
                }
            }
            if (config.tieWordEmbeddings) checkTiedCopies(files, stored.get(BartLayout.SHARED));
            if (!unexpected.isEmpty()) {
                LOG.warn("{}: ignored {} unexpected tensor(s) not used by BartForConditionalGeneration, e.g. \"{}\"",
                        dir, unexpected.size(), unexpected.get(0));
            }
            BartModel model = BartModel.create(config, device, (name, shape) -> files.readFloat32(stored.get(name)));
            return new Loaded(model, List.copyOf(unexpected));
        }
    }

    /**
     * The stored tensor that fills {@code name}: itself, or for a token table saved under one of its
     * other names the one present. Tied, the four names are one table (HF ties whichever it finds);
     * untied, a checkpoint from transformers 4 keeps one table for the shared, encoder and decoder
     * embeddings (they were one module there) and its own LM head, which is never filled from them.
     */
    private static String storedName(CheckpointTensors files, BartConfig config, String name) {
        if (files.has(name)) return name;
        List<String> sameTable = config.tieWordEmbeddings
                ? List.of(BartLayout.SHARED, BartLayout.ENCODER_EMBED, BartLayout.DECODER_EMBED, BartLayout.LM_HEAD)
                : List.of(BartLayout.SHARED, BartLayout.ENCODER_EMBED, BartLayout.DECODER_EMBED);
        if (!sameTable.contains(name)) return name;
        return sameTable.stream().filter(files::has).findFirst().orElse(name);
    }

    /**
     * Tied, the aliases in the files must be copies of the shared table: a different LM head or token
     * table would be silently replaced by it (transformers would run it untied instead).
     */
    private static void checkTiedCopies(CheckpointTensors files, String shared) {
        ByteBuffer table = null;
        for (String alias : List.of(BartLayout.SHARED, BartLayout.ENCODER_EMBED, BartLayout.DECODER_EMBED,
                BartLayout.LM_HEAD)) {
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

    private static void check(CheckpointTensors files, String name, Shape shape, BartConfig config) {
        TensorInfo info = files.info(name);
        if (info == null) {
            boolean head = name.equals(BartLayout.LM_HEAD);
            throw new UserError(files.fileOf(name) + ": tensor \"" + name + "\" missing (the weights do not match "
                    + CONFIG + (head ? ", whose \"tie_word_embeddings\" is false: an untied model needs its own LM "
                    + "head; set it to true if the head is \"" + BartLayout.SHARED + "\"" : "") + ")");
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
     * Writes {@code config.json}, {@code model.safetensors} (HF names, no tied aliases, the
     * final_logits_bias buffer included) and, when {@code tokenizerFrom} has one, {@code tokenizer.json},
     * into a temporary directory beside {@code dir} that then replaces {@code dir} in one move.
     */
    public static void save(BartModel model, Path dir, Path tokenizerFrom) {
        Path target = dir.toAbsolutePath().normalize();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
            writeInto(model, tmp, tokenizerFrom);
            AtomicFiles.shareable(tmp);
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
                Files.move(target, old);
            }
            AtomicFiles.moveIntoPlace(tmp, target);
            tmp = null;
            if (old != null) deleteTree(old);
        } catch (IOException e) {
            throw new UserError(dir + ": cannot write checkpoint: " + e.getMessage(), e);
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
    }

    private static void writeInto(BartModel model, Path dir, Path tokenizerFrom) throws IOException {
        AtomicFiles.writeString(dir.resolve(CONFIG), Json.PRETTY.toJson(model.config().toJson()) + "\n");
        Map<String, SafeTensorsWriter.Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.tensors().entrySet()) {
            NDArray a = e.getValue();
            entries.put(e.getKey(), new SafeTensorsWriter.Entry(a.getShape().getShape(), () -> bytes(a)));
        }
        SafeTensorsWriter.write(dir.resolve(CheckpointTensors.SINGLE), entries);
        if (tokenizerFrom != null) {
            Path tok = Files.isDirectory(tokenizerFrom) ? tokenizerFrom.resolve(TOKENIZER) : tokenizerFrom;
            if (Files.isRegularFile(tok)) Files.copy(tok, dir.resolve(TOKENIZER));
        }
    }

    private static ByteBuffer bytes(NDArray a) {
        if (!a.getDevice().isGpu()) return a.toByteBuffer();
        try (NDArray host = a.toDevice(Device.cpu(), true)) {
            ByteBuffer b = host.toByteBuffer();
            return java.nio.ByteBuffer.allocateDirect(b.remaining()).order(b.order()).put(b).flip();
        }
    }

    private static void deleteTree(Path p) {
        try {
            AtomicFiles.deleteTree(p);
        } catch (IOException ignored) {
            // a leftover temporary directory is harmless; the real error (if any) is already reported
        }
    }
}
