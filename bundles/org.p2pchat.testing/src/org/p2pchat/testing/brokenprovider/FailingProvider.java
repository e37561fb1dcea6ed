package org.p2pchat.testing.brokenprovider;

/**
 * The component of the fixture {@link org.p2pchat.testing.BrokenProviderBundles#failingActivation}:
 * declared as a connection provider, it throws when SCR activates it. Only its class file is
 * used, copied into the fixture bundle; this bundle never loads it.
 */
public final class FailingProvider {

    /** What the activation says; tests look for it in the client's report. */
    public static final String FAILURE = "the test provider fails to start on purpose";

    public FailingProvider() {
    }

    void activate() {
        throw new IllegalStateException(FAILURE);
    }
}
