package org.dialtune.model.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.dialtune.common.AtomicFiles;
import org.dialtune.common.Json;

/**
 * Writes float32 tensors as a Hugging Face style {@code .safetensors} file: u64-LE header length,
 * compact JSON header with {@code "__metadata__": {"format": "pt"}} first and the tensors in sorted
 * name order, padded with spaces to a multiple of 8, then the data contiguously in the same order.
 * Hand-written because DJL's encoder writes keys in hash order, no metadata and no padding
 * (djl-notes §5.10). The file is written atomically; tensors are fetched one at a time.
 */
public final class SafeTensorsWriter {
    /** A tensor to write: its shape and a supplier of its float32 values (any byte order). */
    public record Entry(long[] shape, Supplier<ByteBuffer> data) {}

    private SafeTensorsWriter() {}

    public static void write(Path file, Map<String, Entry> tensors) {
        TreeMap<String, Entry> sorted = new TreeMap<>(tensors);
        byte[] header = header(sorted);
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            out.write(len.array());
            out.write(header);
            for (Map.Entry<String, Entry> e : sorted.entrySet()) {
                writeFloats(out, e.getValue().data().get(), numel(e.getValue().shape()), e.getKey());
            }
        });
    }

    static byte[] header(TreeMap<String, Entry> sorted) {
        JsonObject h = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        h.add("__metadata__", meta);
        long offset = 0;
        for (Map.Entry<String, Entry> e : sorted.entrySet()) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) shape.add(d);
            t.add("shape", shape);
            long bytes = numel(e.getValue().shape()) * 4;
            JsonArray off = new JsonArray();
            off.add(offset);
            off.add(offset + bytes);
            t.add("data_offsets", off);
            h.add(e.getKey(), t);
            offset += bytes;
        }
        byte[] json = Json.COMPACT.toJson(h).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) out[i] = ' ';
        return out;
    }

    private static void writeFloats(OutputStream out, ByteBuffer data, long n, String name) throws IOException {
        ByteBuffer src = data.duplicate().order(data.order());
        if (src.remaining() != n * 4) {
            throw new IllegalStateException("tensor " + name + ": " + src.remaining() + " bytes for " + n + " floats");
        }
        byte[] chunk = new byte[1 << 16];
        if (src.order() == ByteOrder.LITTLE_ENDIAN) {
            while (src.hasRemaining()) {
                int k = Math.min(chunk.length, src.remaining());
                src.get(chunk, 0, k);
                out.write(chunk, 0, k);
            }
            return;
        }
        ByteBuffer le = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        while (src.hasRemaining()) {
            le.clear();
            while (le.hasRemaining() && src.hasRemaining()) le.putFloat(src.getFloat());
            out.write(chunk, 0, le.position());
        }
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
