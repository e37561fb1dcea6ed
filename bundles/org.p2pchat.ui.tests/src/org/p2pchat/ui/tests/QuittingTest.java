package org.p2pchat.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MBasicFactory;
import org.eclipse.e4.ui.model.application.ui.basic.MWindow;
import org.eclipse.e4.ui.workbench.IWorkbench;
import org.eclipse.e4.ui.workbench.modeling.IWindowCloseHandler;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.core.ChatMessage;
import org.p2pchat.core.ConnectionState;
import org.p2pchat.core.files.FileTransferService;
import org.p2pchat.core.files.TransferStatus;
import org.p2pchat.signaling.manual.internal.ManualSignalingProvider;
import org.p2pchat.ui.internal.parts.ClientPart;

/**
 * Ctrl+Q from the shipped window model: it quits at once when nothing is going on, and asks first,
 * naming what would end, during a chat or a transfer; the window is titled with the profile's
 * name and the unread count, so two profiles' windows are told apart.
 */
class QuittingTest {

    private static final long SECONDS = ScriptedChat.SECONDS;

    private PartHarness harness;
    private ScriptedTransport transport;
    private ClientPart part;
    private WindowModel model;
    /** The window the part is in: closing it is what its close handler decides. */
    private MWindow window;
    /** How often the handler closed the workbench. */
    private final List<String> closed = new ArrayList<>();

    @BeforeEach
    void open(@TempDir Path profile) throws Exception {
        harness = new PartHarness("QuittingTest");
        harness.registerProfile("alice", profile);
        transport = new ScriptedTransport();
        harness.clientLayer(transport, new ManualSignalingProvider());
        window = MBasicFactory.INSTANCE.createTrimmedWindow();
        window.setContext(EclipseContextFactory.create("window"));
        harness.put(MWindow.class, window);
        part = harness.make(ClientPart.class, 900, 720);
        model = new WindowModel();
        model.services.put(IWorkbench.class, Proxy.newProxyInstance(IWorkbench.class.getClassLoader(),
                new Class<?>[] { IWorkbench.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> {
                        closed.add("close");
                        yield true;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "the workbench";
                    default -> throw new UnsupportedOperationException(method.getName());
                }));
    }

    @AfterEach
    void close() {
        harness.close();
        window.getContext().dispose();
    }

    /** What closing the window (its frame's close button) asks the part. */
    private boolean windowMayClose() {
        IWindowCloseHandler handler = window.getContext().get(IWindowCloseHandler.class);
        assertTrue(handler != null, "the part decides whether its window may close");
        return handler.close(window);
    }

    @Test
    void ctrlQWithNothingGoingOnQuitsWithoutAsking() throws Exception {
        assertEquals("Quit", model.commandName(model.commandForKeys("M1+Q")));
        List<String> asked = answerQuitQuestion("Cancel");
        model.press("M1+Q", part);
        assertEquals(List.of("close"), closed, "quit at once");
        assertTrue(windowMayClose(), "the window closes at once too");
        assertEquals(List.of(), asked, "nothing was asked");
    }

    @Test
    void closingTheWindowDuringAChatAsksToo() throws Exception {
        ScriptedChat.connect(harness, part, transport);
        List<String> asked = answerQuitQuestion("Cancel");
        assertFalse(windowMayClose(), "cancelled: the window stays");
        assertTrue(asked.get(0).startsWith("End 1 conversation and quit?"), asked.get(0));
        List<String> askedAgain = answerQuitQuestion("Quit");
        assertTrue(windowMayClose(), "agreed: the window closes");
        assertEquals(1, askedAgain.size());
    }

    @Test
    void ctrlQDuringAChatAndATransferAsksNamingWhatWouldEnd() throws Exception {
        RecordingFiles files = new RecordingFiles();
        harness.register(FileTransferService.class, files);
        ScriptedSession session = ScriptedChat.connect(harness, part, transport);
        files.publish(new TransferStatus("t1", "bob", TransferStatus.Direction.SENDING, "holiday.mkv", 10 << 20, 3 << 20,
                1 << 20, TransferStatus.State.RUNNING, null));

        List<String> asked = answerQuitQuestion("Cancel");
        model.press("M1+Q", part);
        harness.waitUntil(() -> !asked.isEmpty(), SECONDS, "the question was asked");
        assertTrue(asked.get(0).startsWith("End 1 conversation and 1 transfer and quit?"), asked.get(0));
        assertEquals(List.of(), closed, "cancelled: the client goes on");
        assertTrue(part.isChatShown());
        assertFalse(session.state() == ConnectionState.CLOSED, "the chat goes on");

        List<String> askedAgain = answerQuitQuestion("Quit");
        model.press("M1+Q", part);
        harness.waitUntil(() -> !askedAgain.isEmpty(), SECONDS, "the question was asked again");
        assertEquals(List.of("close"), closed, "agreed: the workbench closes");
        assertTrue(part.mayQuit(), "and the window closing after it does not ask again");
    }

    @Test
    void theTitleNamesTheProfileAndCountsWhatIsUnread() throws Exception {
        harness.waitUntil(() -> harness.shell.getText().equals("P2P Chat \u2014 alice"), SECONDS,
                "the title names the profile: " + harness.shell.getText());
        ScriptedSession session = ScriptedChat.connect(harness, part, transport);
        Shell other = new Shell(harness.display);
        try {
            other.setSize(200, 100);
            other.open();
            other.forceActive();
            harness.waitUntil(() -> harness.display.getActiveShell() != harness.shell, SECONDS, "another window is active");
            session.receive(ChatMessage.create("bob", "are you there?"));
            session.receive(ChatMessage.create("bob", "hello?"));
            harness.waitUntil(() -> harness.shell.getText().equals("P2P Chat \u2014 alice (2)"), SECONDS,
                    "two unread: " + harness.shell.getText());
            harness.screenshot("title-with-profile-and-unread");
        } finally {
            other.dispose();
        }
    }

    /**
     * Answers the next quit question with {@code button} once it shows (a picture of it is saved);
     * the list gets its message.
     */
    private List<String> answerQuitQuestion(String button) {
        List<String> asked = new ArrayList<>();
        Runnable[] look = new Runnable[1];
        look[0] = () -> {
            if (harness.shell.isDisposed()) {
                return;
            }
            for (Shell s : harness.display.getShells()) {
                if (!s.isDisposed() && s != harness.shell && "Quit P2P Chat".equals(s.getText())) {
                    String message = PartHarness.find(s, Label.class).stream().map(Label::getText)
                            .filter(t -> t.startsWith("End ")).findFirst().orElse("");
                    Button answer = PartHarness.find(s, Button.class).stream().filter(b -> b.getText().equals(button))
                            .findFirst().orElseThrow();
                    try {
                        harness.screenshot(s, "quit-question");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    asked.add(message);
                    PartHarness.click(answer);
                    return;
                }
            }
            harness.display.timerExec(50, look[0]);
        };
        harness.display.timerExec(50, look[0]);
        return asked;
    }
}
