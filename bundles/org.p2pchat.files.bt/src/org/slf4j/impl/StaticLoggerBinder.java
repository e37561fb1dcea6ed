package org.slf4j.impl;

import org.slf4j.ILoggerFactory;
import org.slf4j.spi.LoggerFactoryBinder;

/**
 * SLF4J 1.7's binding, found by name on this bundle's class path: Bt's log goes to
 * {@link BtLogger}. Embedded with Bt, so no SLF4J binding bundle is needed in the product.
 */
public final class StaticLoggerBinder implements LoggerFactoryBinder {

    private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();

    /** Read by SLF4J to check compatibility. */
    public static String REQUESTED_API_VERSION = "1.6.99";

    private final ILoggerFactory factory = BtLogger::new;

    public static StaticLoggerBinder getSingleton() {
        return SINGLETON;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public String getLoggerFactoryClassStr() {
        return BtLogger.class.getName();
    }
}
