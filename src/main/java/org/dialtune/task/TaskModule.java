package org.dialtune.task;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.multibindings.MapBinder;
import java.util.Map;

/**
 * Binds the dataset readers by the name task files use in {@code "reader"}. A new reader is one more
 * {@code addBinding} line here, or the same in a user's own module.
 */
public final class TaskModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, DatasetReader> readers = MapBinder.newMapBinder(binder(), String.class, DatasetReader.class);
        readers.addBinding("csv").toInstance(new CsvDatasetReader());
        readers.addBinding("json").toInstance(new JsonDatasetReader(false));
        readers.addBinding("jsonl").toInstance(new JsonDatasetReader(true));
        readers.addBinding("dealornodeal").toInstance(new DealOrNoDealReader());
    }

    @Provides
    TaskFileParser taskFileParser(Map<String, DatasetReader> readers) {
        return new TaskFileParser(readers);
    }
}
