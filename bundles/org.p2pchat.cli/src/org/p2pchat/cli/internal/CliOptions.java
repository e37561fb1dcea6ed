package org.p2pchat.cli.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.p2pchat.client.core.ClientOptions;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.signaling.PasteCodec;
import org.p2pchat.core.signaling.ProviderCapability;

/**
 * The command line of {@code p2pchat cli}.
 *
 * @param method   the connection method's id ({@code --method}); null: the first that can do what the mode needs
 * @param services services for the method ({@code --service}, or its alias {@code --rendezvous})
 */
record CliOptions(Mode mode, String name, List<IceServer> iceServers, boolean iceFromProfile, PasteCodec.Form form,
        boolean json, String peer, String method, List<URI> services, boolean listed, boolean acceptAll,
        Path acceptFilesInto, HistoryCommand.Query history) {

    enum Mode {
        /** Create an offer, take the answer from stdin, then chat. */
        OFFER,
        /** Take an offer from stdin, print the answer, then chat. */
        ANSWER,
        /** List the peers the connection method lists, then exit. */
        PEERS,
        /** Connect to a peer through the connection method, then chat. */
        CONNECT,
        /** Go online with the connection method and wait for a request, then chat. */
        LISTEN,
        /** List the installed connection methods, then exit. */
        METHODS,
        /** Print the profile's conversations, one of them, a search or an export, then exit. */
        HISTORY,
        HELP;

        /** What a connection method must be able to do for this mode; empty if the mode needs none. */
        Optional<ProviderCapability> needs() {
            return Optional.ofNullable(switch (this) {
                case OFFER, ANSWER -> ProviderCapability.PASTE;
                case PEERS -> ProviderCapability.PEER_LIST;
                case CONNECT -> ProviderCapability.CONNECT;
                case LISTEN -> ProviderCapability.INCOMING;
                case METHODS, HISTORY, HELP -> null;
            });
        }
    }

    static final String USAGE = """
            Usage: p2pchat cli [options] offer|answer|peers|connect PEER|listen|methods
                   p2pchat cli [--json] history [NAME|ID] [--search TEXT] [--export FILE]

              offer         create an offer and print it; then paste the peer's answer
              answer        paste the peer's offer; the answer to send back is printed
              peers         list the peers the connection method lists (by default the
                            rendezvous ("DHT") services)
              connect PEER  connect through the connection method to PEER (an id, or a
                            name only one listed peer has)
              listen        go online with the connection method and wait for requests;
                            answer each with /accept or /reject (or start with --accept)
              methods       list the connection methods installed, with what each can do
              history       list the conversations of this profile's history (name,
                            verified or not, last message, unread); with NAME or ID the
                            messages of that conversation, oldest first, with their time,
                            sender and delivery state; --search TEXT finds messages in every
                            conversation; --export FILE saves the conversation as text

            Once connected, every line you type is sent. Commands:
              /ping [N]        measure the round trip N times (default 10)
              /bench MIB       send MIB mebibytes on a binary channel; the peer reports the speed
              /status          show the connection state and path
              /safety          show the safety number (the same on every connection) and
                               whether you verified your peer
              /verify          after comparing the safety number with your peer over another
                               channel: mark them verified (kept; cleared if their key changes)
              /unverify        take the mark back (after a key change: accept the new key)
              /send PATH...    offer files to your peer (quote a path with spaces: "a b.pdf")
              /accept [ID] [DIR]
                               accept a file offer into DIR (default: --accept-files DIR, else
                               "P2P Chat" under Downloads); ID may be left out if one offer waits
              /decline [ID]    decline a file offer
              /transfers       list the file transfers of this profile with their state
              /pending         list your messages not delivered yet (sending, sent, not
                               delivered)
              /retry [ID...]   send your messages marked not delivered again (or those named)
              /quit            disconnect and exit (so does end of input)

            Messages are kept in the profile's history. A message typed while the connection
            is lost is kept and sent once it is back; your peer's client confirms each one
            (a peer using the web app does not: its delivery is best effort). A message
            that could not be delivered is shown; /retry sends it again.

            Transfers are kept in the profile (p2pchat --profile DIR cli ...): one cut by a
            lost connection or a restart continues where it stopped once both sides are back.

            Options:
              --name NAME          your display name (default: the profile's username)
              --ice URL            a STUN/TURN server instead of the profile's (repeatable);
                                   TURN as turn:host:port with --ice-user and --ice-credential
              --ice-user USER      username for the preceding TURN --ice
              --ice-credential PW  credential for the preceding TURN --ice
              --no-ice             no STUN/TURN servers: host candidates only (LAN, tests)
              --form compact|json  how descriptions are printed: compact one line (default)
                                   or the browser web app's JSON (web app users need json;
                                   an answer to a web app's offer is always json)
              --method ID          the connection method to use (see "methods"); default: the
                                   first installed that can do what you asked
              --service URL        a service for the connection method instead of the profile's
                                   (repeatable), e.g. a rendezvous service
              --rendezvous URL     the same as --service (for the rendezvous services)
              --unlisted           stay out of public peer lists (reachable by id only)
              --accept             listen: accept the first request without asking
              --accept-files DIR   accept every file offer into DIR without asking
              --json               print events as JSON lines, for scripts (stdout then carries
                                   nothing else)
              --verbose            log to stderr instead of the profile's logs/cli.log

            Exit codes:
              0  you ended the chat (/quit or end of input), or the peers (methods) were listed
              1  no chat came about (could not connect, declined, bad input, no service)
              2  the command line is wrong
              3  the chat ended from your peer's side (they left, or the connection was lost)
            """;

    static CliOptions parse(String[] args) throws IllegalArgumentException {
        Mode mode = null;
        String name = null;
        List<IceServer> ice = new ArrayList<>();
        boolean fromProfile = true;
        PasteCodec.Form form = PasteCodec.Form.COMPACT;
        boolean json = false;
        String peer = null;
        String method = null;
        List<URI> services = new ArrayList<>();
        boolean listed = true;
        boolean acceptAll = false;
        Path acceptFilesInto = null;
        String history = null;
        String search = null;
        Path export = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "offer" -> mode = once(mode, Mode.OFFER);
                case "answer" -> mode = once(mode, Mode.ANSWER);
                case "peers" -> mode = once(mode, Mode.PEERS);
                case "listen" -> mode = once(mode, Mode.LISTEN);
                case "methods" -> mode = once(mode, Mode.METHODS);
                case "history" -> {
                    mode = once(mode, Mode.HISTORY);
                    if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        history = args[++i];
                    }
                }
                case "--search" -> search = value(args, ++i, a);
                case "--export" -> export = Path.of(value(args, ++i, a));
                case "connect" -> {
                    mode = once(mode, Mode.CONNECT);
                    peer = value(args, ++i, a);
                }
                case "--service", "--rendezvous" -> services.add(serviceUrl(a, value(args, ++i, a)));
                case "--method" -> {
                    method = value(args, ++i, a).strip();
                    if (method.isEmpty()) {
                        throw new IllegalArgumentException("--method needs an id; 'p2pchat cli methods' lists them");
                    }
                }
                case "--unlisted" -> listed = false;
                case "--accept" -> acceptAll = true;
                case "--accept-files" -> {
                    String dir = value(args, ++i, a);
                    acceptFilesInto = TransferConsole.expand(dir);
                    if (acceptFilesInto == null) {
                        throw new IllegalArgumentException("--accept-files: '" + dir + "' is not a valid folder");
                    }
                }
                case "help", "--help", "-h" -> mode = Mode.HELP;
                case "--name" -> name = value(args, ++i, a);
                case "--ice" -> {
                    ice.add(new IceServer(value(args, ++i, a), "", ""));
                    fromProfile = false;
                }
                case "--ice-user", "--ice-credential" -> {
                    if (ice.isEmpty()) {
                        throw new IllegalArgumentException(a + " must follow an --ice URL");
                    }
                    IceServer last = ice.removeLast();
                    String v = value(args, ++i, a);
                    ice.add(a.equals("--ice-user") ? new IceServer(last.url(), v, last.credential())
                            : new IceServer(last.url(), last.username(), v));
                }
                case "--no-ice" -> {
                    ice.clear();
                    fromProfile = false;
                }
                case "--form" -> form = switch (value(args, ++i, a)) {
                    case "compact" -> PasteCodec.Form.COMPACT;
                    case "json" -> PasteCodec.Form.BROWSER_JSON;
                    default -> throw new IllegalArgumentException("--form takes compact or json");
                };
                case "--json" -> json = true;
                case "--verbose" -> {
                    // The start script sends the log to stderr instead of the profile's logs/cli.log.
                }
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException("say offer, answer, peers, connect PEER, listen, methods or history");
        }
        if ((search != null || export != null) && mode != Mode.HISTORY) {
            throw new IllegalArgumentException("--search and --export go with history");
        }
        if (export != null && history == null) {
            throw new IllegalArgumentException("--export needs the conversation: history NAME|ID --export FILE");
        }
        for (IceServer s : ice) {
            s.problem().ifPresent(problem -> {
                throw new IllegalArgumentException("--ice " + s.url() + ": " + problem
                        + (s.isTurn() ? " (--ice-user, --ice-credential)" : ""));
            });
        }
        return new CliOptions(mode, name, List.copyOf(ice), fromProfile, form, json, peer, method,
                List.copyOf(services), listed, acceptAll, acceptFilesInto, new HistoryCommand.Query(history, search, export));
    }

    private static Mode once(Mode current, Mode next) {
        if (current != null && current != next) {
            throw new IllegalArgumentException("say one of offer, answer, peers, connect, listen, methods or history, not two");
        }
        return next;
    }

    /** What the client layer is asked for: the profile's settings where the command line says nothing. */
    ClientOptions clientOptions() {
        return new ClientOptions(Optional.ofNullable(name), iceFromProfile ? Optional.empty() : Optional.of(iceServers),
                listed, services);
    }

    /**
     * A service's address as typed: an absolute URL; one with a host (http://, udp://...) needs a
     * valid port. Which schemes it takes is the connection method's to say.
     */
    private static URI serviceUrl(String option, String text) {
        if (text.strip().matches("[\\w.-]+:\\d+(/\\S*)?")) { // host:port, which Java reads as a scheme (or refuses as one)
            throw new IllegalArgumentException(option + " " + text + ": type the address with http:// or https:// in "
                    + "front, for example http://" + text.strip());
        }
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException(option + " " + text + ": not a URL (say e.g. http://host:port)");
            }
            if (uri.getRawAuthority() != null && (uri.getHost() == null || uri.getHost().isBlank())) {
                throw new IllegalArgumentException(option + " " + text + ": URL has no host name");
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                throw new IllegalArgumentException(option + " " + text + ": port must be between 1 and 65535");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " " + text + ": not a valid URL (" + e.getReason() + ")");
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
