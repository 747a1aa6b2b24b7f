package org.dialtune.format;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/** Binds the default layout settings; commands override them from their options. */
public final class FormatModule extends AbstractModule {
    @Provides
    FormatterConfig defaultFormatterConfig() {
        return FormatterConfig.defaults();
    }
}
