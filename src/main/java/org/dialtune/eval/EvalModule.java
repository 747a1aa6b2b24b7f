package org.dialtune.eval;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.dialtune.eval.metric.AccuracyMetric;
import org.dialtune.eval.metric.Metric;
import org.dialtune.eval.metric.RankAccuracyMetric;
import org.dialtune.eval.metric.RougeLMetric;

/** The eval stage's bindings: the built-in metrics, by the names task files use. */
public final class EvalModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, Metric> metrics = MapBinder.newMapBinder(binder(), String.class, Metric.class);
        metrics.addBinding("accuracy").toInstance(new AccuracyMetric());
        metrics.addBinding("rank_accuracy").toInstance(new RankAccuracyMetric());
        metrics.addBinding("rouge_l").toInstance(new RougeLMetric(false));
        metrics.addBinding("rouge_lsum").toInstance(new RougeLMetric(true));
    }
}
