package org.dialtune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dialtune.model.Seq2SeqLm;
import org.dialtune.model.nn.NormPlacement;

/**
 * Training FLOPs (forward + backward) of one step, from a model's parameter names and shapes, the set
 * that trains, and the step's padded token counts. No family-specific code: the graph is read from the
 * Hugging Face naming conventions every seq2seq family here shares (see eval/README.md, "FLOP
 * accounting", for the formula and the conventions), so freezing, bias-only and LoRA need nothing else.
 *
 * <p>Counted: every matrix product. A projection {@code [out, in]} costs {@code 2·in·out} per token in
 * the forward pass; its backward costs {@code 2·in·out} for the gradient of its input when some trainable
 * parameter lies below that input, plus {@code 2·in·out} for its weight gradient when the weight trains.
 * Attention costs {@code 2·Tq·Tk·inner} for the scores and as much for the weighted sum (per example,
 * {@code inner} = heads·d_head = the query projection's rows); its backward computes dQ, dK, dP and dV,
 * each {@code 2·Tq·Tk·inner}, only where needed. LoRA on a projection ({@code …lora_A.weight [r, in]},
 * {@code …lora_B.weight [out, r]}) adds {@code 2·r·(in+out)} per token forward and its own gradients.
 * Embedding lookups cost nothing, a tied LM head costs what an untied one does. Not counted: elementwise
 * work (biases, norms, activations, softmax, dropout, residuals, the loss), below 1% for these models.
 */
public final class FlopCounter {
    /** The token counts a step's FLOPs are linear in (padded: padding positions are computed like any). */
    public enum Term {
        /** source tokens, B·S */
        SOURCE,
        /** target tokens, B·T */
        TARGET,
        /** encoder self-attention pairs, B·S·S */
        SOURCE_PAIRS,
        /** decoder self-attention pairs, B·T·T */
        TARGET_PAIRS,
        /** cross-attention pairs, B·T·S */
        CROSS_PAIRS;

        /** This term's count for a micro-batch of {@code rows} padded to {@code s} source and {@code t} target tokens. */
        public long count(long rows, long s, long t) {
            return switch (this) {
                case SOURCE -> rows * s;
                case TARGET -> rows * t;
                case SOURCE_PAIRS -> rows * s * s;
                case TARGET_PAIRS -> rows * t * t;
                case CROSS_PAIRS -> rows * t * s;
            };
        }
    }

    /** FLOPs of some training work. */
    public record Flops(double forward, double backward) {
        public static final Flops ZERO = new Flops(0, 0);

        public double total() {
            return forward + backward;
        }

        public Flops plus(Flops o) {
            return new Flops(forward + o.forward, backward + o.backward);
        }
    }

    private static final Set<String> QUERY = Set.of("q", "q_proj", "query");
    private static final Set<String> KEY = Set.of("k", "k_proj", "key");
    private static final Set<String> VALUE = Set.of("v", "v_proj", "value");
    private static final Set<String> OUTPUT = Set.of("o", "out_proj", "output");

    private final long[] forward = new long[Term.values().length];
    private final long[] backward = new long[Term.values().length];
    private final long trainableParameters;

    private FlopCounter(Graph g, NormPlacement norms, long trainableParameters) {
        this.trainableParameters = trainableParameters;
        boolean pre = norms == NormPlacement.PRE;
        boolean encoderOut = g.encoder.run(this, pre, g.sharedTrains, null);
        boolean decoderOut = g.decoder.run(this, pre, g.sharedTrains, encoderOut);
        site(g.head, decoderOut, Term.TARGET);
    }

    /** The counter for {@code model} training {@code trainable} (the names {@code setTrainable} returned). */
    public static FlopCounter of(Seq2SeqLm model, Set<String> trainable) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) shapes.put(e.getKey(), e.getValue().getShape());
        return of(shapes, trainable, model.config().normPlacement());
    }

    /**
     * @param parameters every parameter the forward pass reads, by HF name in HF order, with its shape
     * @param trainable the names that get gradients
     */
    public static FlopCounter of(Map<String, Shape> parameters, Set<String> trainable, NormPlacement norms) {
        long count = 0;
        for (String n : trainable) {
            Shape s = parameters.get(n);
            if (s == null) throw new IllegalArgumentException("trainable " + n + " is not a parameter");
            count += s.size();
        }
        return new FlopCounter(Graph.read(parameters, trainable), norms, count);
    }

    /** FLOPs per unit of {@code term} in the forward pass (what a hand calculation checks). */
    public long forwardPer(Term term) {
        return forward[term.ordinal()];
    }

    /** FLOPs per unit of {@code term} in the backward pass. */
    public long backwardPer(Term term) {
        return backward[term.ordinal()];
    }

    /** Elements of the trainable parameters. */
    public long trainableParameters() {
        return trainableParameters;
    }

    /** One micro-batch of {@code rows} examples padded to {@code s} source and {@code t} target tokens. */
    public Flops batch(long rows, long s, long t) {
        double f = 0;
        double b = 0;
        for (Term term : Term.values()) {
            double n = term.count(rows, s, t);
            f += n * forward[term.ordinal()];
            b += n * backward[term.ordinal()];
        }
        return new Flops(f, b);
    }

    /** FLOPs as logs and messages print them, e.g. {@code 1.23e+12}. */
    public static String format(double flops) {
        return String.format(Locale.ROOT, "%.3g", flops);
    }

    /** Adds one projection's costs; returns whether its output needs a gradient. */
    private boolean site(Site s, boolean inputNeedsGrad, Term term) {
        int t = term.ordinal();
        long mm = 2L * s.in * s.out;
        forward[t] += mm;
        if (inputNeedsGrad) backward[t] += mm;
        if (s.weightTrains) backward[t] += mm;
        if (s.rank > 0) {
            // h = x·Aᵀ (2·r·in), y += h·Bᵀ (2·r·out); dh = dy·B, dB = dyᵀ·h, dA = dhᵀ·x, dx += dh·A
            long a = 2L * s.rank * s.in;
            long b = 2L * s.rank * s.out;
            forward[t] += a + b;
            if (s.loraATrains || inputNeedsGrad) backward[t] += b;
            if (s.loraBTrains) backward[t] += b;
            if (s.loraATrains) backward[t] += a;
            if (inputNeedsGrad) backward[t] += a;
        }
        return inputNeedsGrad || s.trains();
    }

    private boolean attention(Attention a, boolean x, boolean kv, Term qTerm, Term kvTerm, Term pairs, boolean scoreBias) {
        boolean q = site(a.q, x, qTerm);
        boolean k = site(a.k, kv, kvTerm);
        boolean v = site(a.v, kv, kvTerm);
        int p = pairs.ordinal();
        long mm = 2L * a.q.out; // per (query, key) pair: one dot product of inner = heads·d_head
        forward[p] += 2 * mm; // scores Q·Kᵀ, weighted sum P·V
        boolean probs = q || k || scoreBias;
        if (q) backward[p] += mm; // dQ = dS·K
        if (k) backward[p] += mm; // dK = dSᵀ·Q
        if (probs) backward[p] += mm; // dP = dC·Vᵀ
        if (v) backward[p] += mm; // dV = Pᵀ·dC
        return site(a.o, probs || v, qTerm);
    }

    private boolean feedForward(FeedForward f, boolean x, Term term) {
        boolean hidden = false;
        for (Site in : f.inputs) hidden |= site(in, x, term);
        return site(f.output, hidden, term);
    }

    /** One projection site: a weight {@code [out, in]}, maybe a bias, maybe LoRA matrices. */
    private static final class Site {
        final String name;
        final long out;
        final long in;
        boolean weightTrains;
        boolean biasTrains;
        long rank;
        boolean loraATrains;
        boolean loraBTrains;

        Site(String name, Shape shape, boolean trains) {
            this.name = name;
            this.out = shape.get(0);
            this.in = shape.get(1);
            this.weightTrains = trains;
        }

        boolean trains() {
            return weightTrains || biasTrains || loraATrains || loraBTrains;
        }
    }

    /** A residual sublayer: attention or feed-forward, with whether its norm trains. */
    private abstract static class Sublayer {
        final int firstIndex;
        boolean normTrains;

        Sublayer(int firstIndex) {
            this.firstIndex = firstIndex;
        }
    }

    private static final class Attention extends Sublayer {
        final String id;
        final boolean cross;
        Site q;
        Site k;
        Site v;
        Site o;

        Attention(String id, boolean cross, int firstIndex) {
            super(firstIndex);
            this.id = id;
            this.cross = cross;
        }
    }

    private static final class FeedForward extends Sublayer {
        final List<Site> inputs = new ArrayList<>();
        Site output;

        FeedForward(int firstIndex) {
            super(firstIndex);
        }
    }

    /** An encoder or decoder: what feeds its first layer, its layers' sublayers in order, what follows them. */
    private static final class Stack {
        final boolean encoder;
        boolean inputTrains;
        boolean outputTrains;
        boolean scoreBiasTrains;
        final java.util.TreeMap<Integer, Map<String, Sublayer>> layers = new java.util.TreeMap<>();

        Stack(boolean encoder) {
            this.encoder = encoder;
        }

        /** Adds the stack's FLOPs; returns whether its output needs a gradient. */
        boolean run(FlopCounter c, boolean preNorm, boolean sharedTrains, Boolean encoderOut) {
            boolean g = sharedTrains || inputTrains;
            for (Map<String, Sublayer> layer : layers.values()) {
                for (Sublayer s : layer.values()) {
                    boolean in = g || (preNorm && s.normTrains);
                    boolean out;
                    if (s instanceof Attention a && a.cross) {
                        out = c.attention(a, in, encoderOut, Term.TARGET, Term.SOURCE, Term.CROSS_PAIRS, false);
                    } else if (s instanceof Attention a) {
                        Term t = encoder ? Term.SOURCE : Term.TARGET;
                        out = c.attention(a, in, in, t, t, encoder ? Term.SOURCE_PAIRS : Term.TARGET_PAIRS, scoreBiasTrains);
                    } else {
                        out = c.feedForward((FeedForward) s, in, encoder ? Term.SOURCE : Term.TARGET);
                    }
                    g = in || out || (!preNorm && s.normTrains);
                }
            }
            return g || outputTrains;
        }
    }

    /** The model read from its parameter names (conventions in the class comment and eval/README.md). */
    private static final class Graph {
        final Stack encoder = new Stack(true);
        final Stack decoder = new Stack(false);
        boolean sharedTrains;
        Site head;

        static Graph read(Map<String, Shape> params, Set<String> trainable) {
            Graph g = new Graph();
            Map<String, Site> sites = new HashMap<>();
            Map<String, Integer> index = new HashMap<>();
            List<String> names = new ArrayList<>(params.keySet());
            for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
            String sharedTable = null;
            // pass 1: the projections (2-D weights that are not lookup tables)
            for (String n : names) {
                Shape shape = params.get(n);
                boolean trains = trainable.contains(n);
                if (isLora(n) || shape.dimension() != 2 || !n.endsWith(".weight")) continue;
                Stack stack = g.stackOf(n);
                int layer = layerOf(n);
                if (stack == null) {
                    if (n.startsWith("lm_head.")) {
                        g.head = new Site(n, shape, trains);
                    } else {
                        sharedTable = n; // the token table both stacks look up (and the head when tied)
                        g.sharedTrains |= trains;
                    }
                } else if (n.contains("embed") || n.contains("relative_attention_bias")) {
                    if (n.contains("relative_attention_bias")) {
                        stack.scoreBiasTrains |= trains; // added to every self-attention's scores of the stack
                    } else if (layer < 0) {
                        stack.inputTrains |= trains;
                    } else {
                        throw unplaced(n);
                    }
                } else if (layer < 0) {
                    throw unplaced(n);
                } else {
                    Site site = new Site(n, shape, trains);
                    sites.put(n, site);
                    String module = n.substring(0, n.length() - ".weight".length());
                    int dot = module.lastIndexOf('.');
                    String leaf = module.substring(dot + 1);
                    String parent = module.substring(0, dot);
                    Map<String, Sublayer> subs = stack.layers.computeIfAbsent(layer, k -> new LinkedHashMap<>());
                    if (QUERY.contains(leaf) || KEY.contains(leaf) || VALUE.contains(leaf) || OUTPUT.contains(leaf)) {
                        String kind = parent.substring(parent.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                        boolean cross = !stack.encoder && (kind.contains("enc") || kind.contains("cross"));
                        Attention a = (Attention) subs.computeIfAbsent(parent,
                                k -> new Attention(parent, cross, index.get(n)));
                        if (QUERY.contains(leaf)) a.q = site;
                        else if (KEY.contains(leaf)) a.k = site;
                        else if (VALUE.contains(leaf)) a.v = site;
                        else a.o = site;
                    } else {
                        FeedForward f = (FeedForward) subs.computeIfAbsent(layerPrefix(n) + "#ff",
                                k -> new FeedForward(index.get(n)));
                        if (f.output != null) f.inputs.add(f.output);
                        f.output = site; // the last one in HF order reads the others' product
                    }
                }
            }
            // pass 2: biases, norms, LoRA matrices, stack-level tensors
            for (String n : names) {
                Shape shape = params.get(n);
                boolean trains = trainable.contains(n);
                if (isLora(n)) {
                    boolean a = n.contains(".lora_A.");
                    String base = n.substring(0, n.indexOf(a ? ".lora_A." : ".lora_B.")) + ".weight";
                    Site site = sites.get(base);
                    if (site == null) throw new IllegalArgumentException(n + ": LoRA matrix of " + base + ", which is not a projection");
                    if (a) {
                        site.rank = shape.get(0);
                        site.loraATrains = trains;
                    } else {
                        site.loraBTrains = trains;
                    }
                    continue;
                }
                if (shape.dimension() == 2 && n.endsWith(".weight")) continue;
                if (n.endsWith(".bias") && sites.containsKey(n.substring(0, n.length() - "bias".length()) + "weight")) {
                    sites.get(n.substring(0, n.length() - "bias".length()) + "weight").biasTrains = trains;
                    continue;
                }
                Stack stack = g.stackOf(n);
                if (stack == null) throw unplaced(n);
                int layer = layerOf(n);
                if (layer < 0) {
                    if (n.contains("embed")) stack.inputTrains |= trains;
                    else stack.outputTrains |= trains;
                    continue;
                }
                // a norm belongs to the sublayer whose weights come just before it in HF order
                Map<String, Sublayer> subs = stack.layers.get(layer);
                if (subs == null) throw unplaced(n);
                Sublayer owner = null;
                for (Sublayer s : subs.values()) {
                    if (owner == null || s.firstIndex < index.get(n)) owner = s;
                }
                owner.normTrains |= trains;
            }
            for (Stack s : List.of(g.encoder, g.decoder)) {
                for (Map<String, Sublayer> layer : s.layers.values()) {
                    for (Sublayer sub : layer.values()) {
                        if (sub instanceof Attention a && (a.q == null || a.k == null || a.v == null || a.o == null)) {
                            throw new IllegalArgumentException(a.id + ": an attention needs query, key, value and output projections");
                        }
                        if (sub instanceof FeedForward f && f.inputs.isEmpty()) {
                            throw new IllegalArgumentException(f.output.name + ": a feed-forward block needs two projections or more");
                        }
                    }
                }
            }
            if (g.head == null) {
                if (sharedTable == null) throw new IllegalArgumentException("no lm_head.weight and no shared token table");
                g.head = new Site(sharedTable, params.get(sharedTable), g.sharedTrains); // tied: the table is the head
            }
            return g;
        }

        private Stack stackOf(String name) {
            for (String part : name.split("\\.")) {
                if (part.equals("encoder")) return encoder;
                if (part.equals("decoder")) return decoder;
            }
            return null;
        }

        private static int layerOf(String name) {
            for (String part : name.split("\\.")) {
                if (!part.isEmpty() && part.chars().allMatch(Character::isDigit)) return Integer.parseInt(part);
            }
            return -1;
        }

        private static String layerPrefix(String name) {
            String[] parts = name.split("\\.");
            StringBuilder b = new StringBuilder();
            for (String part : parts) {
                b.append(part).append('.');
                if (part.chars().allMatch(Character::isDigit)) break;
            }
            return b.toString();
        }

        private static boolean isLora(String n) {
            return n.contains(".lora_A.") || n.contains(".lora_B.");
        }

        private static IllegalArgumentException unplaced(String n) {
            return new IllegalArgumentException(n + ": no place for this tensor in the FLOP count (see eval/README.md, FLOP accounting)");
        }
    }
}
