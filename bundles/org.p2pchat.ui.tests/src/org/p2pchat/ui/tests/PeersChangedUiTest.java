package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.swt.widgets.Table;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.internal.identity.Ed25519IdentityService;
import org.p2pchat.core.identity.IdentityService;
import org.p2pchat.core.signaling.PeerAddress;
import org.p2pchat.core.signaling.ProviderStatus;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * A method that finds people by itself says its peers changed (as the local network provider
 * does): the Connect page's list of people follows, with nobody pressing Refresh.
 */
class PeersChangedUiTest {

    private static final long SECONDS = 30;

    private PartHarness harness;
    private ScriptedProvider directory;
    private IdentityService ours;
    private Path dir;

    @BeforeEach
    void open(@TempDir Path dir) throws Exception {
        this.dir = dir;
        harness = new PartHarness("PeersChangedUiTest");
        ours = harness.registerProfile("desk", dir.resolve("desk"));
        directory = new ScriptedProvider();
        harness.clientLayer(new ScriptedTransport(), directory);
        harness.make(ClientPart.class, 900, 700);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void theListOfPeopleFollowsTheMethodWithoutRefresh() throws Exception {
        harness.chooseMethod("Test directory");
        ScriptedProvider.Link link;
        do {
            link = harness.await(CompletableFuture.supplyAsync(() -> {
                try {
                    return directory.links.poll(SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, r -> Thread.ofVirtual().start(r)), SECONDS + 5, "the client goes online with the method");
            assertNotNull(link, "the client goes online with the method");
        } while (link.closed);
        PeerAddress bob = ScriptedProvider.peer("bob", new Ed25519IdentityService(dir.resolve("bob")).self());
        PeerAddress carol = ScriptedProvider.peer("carol", new Ed25519IdentityService(dir.resolve("carol")).self());
        link.listed = List.of(bob);
        link.report(ProviderStatus.State.ONLINE, ours.self().key(), "");
        Table people = harness.byId(Table.class, "directory.peers");
        harness.waitUntil(() -> people.getItemCount() == 1, SECONDS, "bob is listed");

        // Carol comes: the method says so, and the list shows her without Refresh.
        link.listed = List.of(bob, carol);
        link.context.callback().peersChanged();
        harness.waitUntil(() -> Arrays.stream(people.getItems()).anyMatch(i -> i.getText(0).equals("carol")), SECONDS,
                "carol is listed without Refresh");
        System.out.println("screenshot: " + harness.screenshot("peers-changed"));

        // Bob goes: so does his line.
        link.listed = List.of(carol);
        link.context.callback().peersChanged();
        harness.waitUntil(() -> people.getItemCount() == 1 && people.getItem(0).getText(0).equals("carol"), SECONDS,
                "bob's line goes");
    }
}
