package org.dialtune.cli;

import com.google.inject.Injector;
import picocli.CommandLine;

/** Lets picocli create commands through Guice, so commands receive their collaborators by injection. */
final class GuiceFactory implements CommandLine.IFactory {
    private final Injector injector;

    GuiceFactory(Injector injector) {
        this.injector = injector;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        // Commands and their option classes come from Guice; picocli's own helper types
        // (collections, converters) from its default factory.
        if (cls.getName().startsWith("org.dialtune.")) return injector.getInstance(cls);
        return CommandLine.defaultFactory().create(cls);
    }
}
