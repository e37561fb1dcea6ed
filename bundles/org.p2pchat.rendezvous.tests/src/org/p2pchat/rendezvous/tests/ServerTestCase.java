package org.p2pchat.rendezvous.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A fresh server per test (default limits, no rate limit) that must still serve when the test ends. */
abstract class ServerTestCase {

    protected TestServer t;

    @BeforeEach
    void startServer() throws IOException {
        t = new TestServer();
    }

    @AfterEach
    void stopServer() {
        assertEquals(200, t.get("/health").status(), "still serving");
        t.close();
    }
}
