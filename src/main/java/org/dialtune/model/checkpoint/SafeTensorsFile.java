package org.dialtune.model.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dialtune.common.UserError;

/**
 * Reads one {@code .safetensors} file: u64-LE header length, JSON header, raw little-endian data.
 *
 * <p>Written by hand rather than with DJL's {@code NDList.decode} because that decoder turns a BF16
 * tensor into a JVM abort (see djl-notes §5.1), reads the whole file into one Java array and knows
 * nothing of sharded checkpoints. Every tensor is returned widened to float32 in Java, so no
 * half-precision NDArray is ever created. Each tensor is read separately (positional reads), so files
 * larger than 2 GB work and memory holds one tensor at a time.
 */
public final class SafeTensorsFile implements AutoCloseable {
    /** Headers larger than this are certainly not a safetensors file (the format caps it at 100 MB). */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;

    private SafeTensorsFile(Path file, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
    }

    public static SafeTensorsFile open(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": file not found");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return parse(file, ch);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static SafeTensorsFile parse(Path file, FileChannel ch) {
        long size = size(file, ch);
        if (size < 8) {
            throw new UserError(file + ": truncated: " + size + " bytes, too short for a safetensors header "
                    + "(re-download or re-save the checkpoint)");
        }
        ByteBuffer lenBuf = read(file, ch, 0, 8);
        long headerLen = lenBuf.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES) {
            throw new UserError(file + ": bad header: length field is " + headerLen
                    + " (not a safetensors file, or corrupt)");
        }
        if (8 + headerLen > size) {
            throw new UserError(file + ": truncated: header needs " + headerLen + " bytes but the file has only "
                    + (size - 8) + " after the length field (re-download or re-save the checkpoint)");
        }
        String json = StandardCharsets.UTF_8.decode(read(file, ch, 8, (int) headerLen)).toString();
        JsonObject header;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) throw new JsonParseException("not a JSON object");
            header = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new UserError(file + ": bad header: not a JSON object (" + org.dialtune.common.Json.cleanGsonMessage(e) + ")");
        }
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> en : header.entrySet()) {
            if (en.getKey().equals("__metadata__")) continue;
            TensorInfo t = tensorInfo(file, en.getKey(), en.getValue());
            if (t.end() > dataLen) {
                throw new UserError(file + ": tensor \"" + t.name() + "\": data_offsets [" + t.begin() + ", " + t.end()
                        + "] run past the end of the data (" + dataLen + " bytes): the file is truncated "
                        + "(re-download or re-save the checkpoint)");
            }
            tensors.put(t.name(), t);
        }
        requireDisjoint(file, tensors.values());
        return new SafeTensorsFile(file, ch, dataStart, Collections.unmodifiableMap(tensors));
    }

    /**
     * Two tensors whose data_offsets overlap share bytes: writing one would change the other, and
     * safetensors itself refuses such files. Empty tensors occupy no bytes and overlap nothing.
     */
    private static void requireDisjoint(Path file, Collection<TensorInfo> tensors) {
        List<TensorInfo> byBegin = new ArrayList<>(tensors);
        byBegin.removeIf(t -> t.end() == t.begin());
        byBegin.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < byBegin.size(); i++) {
            TensorInfo a = byBegin.get(i - 1);
            TensorInfo b = byBegin.get(i);
            if (b.begin() < a.end()) {
                throw new UserError(file + ": bad header: tensors \"" + a.name() + "\" [" + a.begin() + ", " + a.end()
                        + "] and \"" + b.name() + "\" [" + b.begin() + ", " + b.end() + "] overlap in data_offsets"
                        + " (corrupt file: re-download or re-save the checkpoint)");
            }
        }
    }

    private static TensorInfo tensorInfo(Path file, String name, JsonElement e) {
        String where = file + ": tensor \"" + name + "\": ";
        try {
            JsonObject o = e.getAsJsonObject();
            String dtype = o.get("dtype").getAsString();
            JsonArray shapeJson = o.getAsJsonArray("shape");
            long[] shape = new long[shapeJson.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeJson.get(i).getAsLong();
                if (shape[i] < 0) throw new UserError(where + "bad header: negative dimension in shape");
            }
            JsonArray off = o.getAsJsonArray("data_offsets");
            if (off.size() != 2) throw new UserError(where + "bad header: data_offsets must have 2 numbers");
            long begin = off.get(0).getAsLong();
            long end = off.get(1).getAsLong();
            TensorInfo t = new TensorInfo(name, dtype, shape, begin, end);
            if (begin < 0 || end < begin) {
                throw new UserError(where + "bad header: data_offsets [" + begin + ", " + end + "] out of order");
            }
            int width = bytesPerElement(dtype);
            if (width > 0 && end - begin != t.elementCount() * width) {
                throw new UserError(where + "bad header: data_offsets [" + begin + ", " + end + "] hold "
                        + (end - begin) + " bytes but shape " + t.shapeText() + " of " + dtype + " needs "
                        + t.elementCount() * width);
            }
            return t;
        } catch (IllegalStateException | NullPointerException | UnsupportedOperationException
                | NumberFormatException ex) {
            throw new UserError(where + "bad header: needs \"dtype\", \"shape\" and \"data_offsets\"");
        }
    }

    /** Element width of the dtypes we can widen to float32; 0 for any other (reported on read). */
    static int bytesPerElement(String dtype) {
        return switch (dtype) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default -> 0;
        };
    }

    public Path path() {
        return file;
    }

    /** Tensor entries in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /**
     * The tensor's values as float32, little-endian, in a direct buffer ready for
     * {@code NDManager.create(ByteBuffer, Shape, FLOAT32)}.
     */
    public ByteBuffer readFloat32(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) throw new UserError(file + ": tensor \"" + name + "\" not in this file");
        int width = bytesPerElement(t.dtype());
        if (width == 0) {
            throw new UserError(file + ": tensor \"" + name + "\": dtype " + t.dtype()
                    + " unsupported (use F32, F16 or BF16)");
        }
        long n = t.elementCount();
        if (n * 4 > Integer.MAX_VALUE) {
            throw new UserError(file + ": tensor \"" + name + "\": " + n + " elements is more than one buffer holds");
        }
        ByteBuffer raw = read(file, channel, dataStart + t.begin(), (int) (t.end() - t.begin()));
        raw.order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype().equals("F32")) return requireFinite(t, raw);
        ByteBuffer out = ByteBuffer.allocateDirect((int) (n * 4)).order(ByteOrder.LITTLE_ENDIAN);
        boolean bf16 = t.dtype().equals("BF16");
        for (int i = 0; i < n; i++) {
            int bits = raw.getShort(2 * i) & 0xffff;
            out.putFloat(4 * i, bf16 ? Float.intBitsToFloat(bits << 16) : HalfFloat.toFloat(bits));
        }
        return requireFinite(t, out);
    }

    /**
     * A NaN or infinite weight makes every score NaN (and a training step diverge) far from its cause:
     * refuse it here, naming the tensor. One pass over the exponent bits, ~0.1 s for bart-base.
     */
    private ByteBuffer requireFinite(TensorInfo t, ByteBuffer float32) {
        IntBuffer bits = float32.asIntBuffer();
        for (int i = 0, n = bits.limit(); i < n; i++) {
            int b = bits.get(i);
            if ((b & 0x7f800000) == 0x7f800000) {
                float v = Float.intBitsToFloat(b);
                throw new UserError(file + ": tensor \"" + t.name() + "\": value " + i + " of " + n + " is " + v
                        + " (the checkpoint holds non-finite weights, e.g. saved after training diverged:"
                        + " use an earlier checkpoint)");
            }
        }
        return float32;
    }

    private static long size(Path file, FileChannel ch) {
        try {
            return ch.size();
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer read(Path file, FileChannel ch, long pos, int len) {
        ByteBuffer buf = ByteBuffer.allocateDirect(len);
        try {
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) throw new UserError(file + ": truncated: unexpected end of file at byte " + (pos + buf.position()));
            }
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        buf.flip();
        return buf;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // reporting the parse error matters more
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
