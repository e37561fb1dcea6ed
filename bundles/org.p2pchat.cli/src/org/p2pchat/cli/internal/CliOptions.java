package org.p2pchat.cli.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.p2pchat.core.IceServer;
import org.p2pchat.core.settings.ServiceEntry;
import org.p2pchat.core.signaling.TextSignalingProvider;

/** The command line of {@code p2pchat cli}. */
record CliOptions(Mode mode, String name, List<IceServer> iceServers, boolean iceFromProfile,
        TextSignalingProvider.Form form, boolean json, String peer, List<URI> rendezvous, boolean listed,
        boolean acceptAll, Path acceptFilesInto) {

    enum Mode {
        /** Create an offer, take the answer from stdin, then chat. */
        OFFER,
        /** Take an offer from stdin, print the answer, then chat. */
        ANSWER,
        /** List the peers the rendezvous services list, then exit. */
        PEERS,
        /** Connect to a peer through the rendezvous services, then chat. */
        CONNECT,
        /** Register with the rendezvous services and wait for a request, then chat. */
        LISTEN,
        HELP
    }

    static final String USAGE = """
            Usage: p2pchat cli [options] offer|answer|peers|connect PEER|listen

              offer         create an offer and print it; then paste the peer's answer
              answer        paste the peer's offer; the answer to send back is printed
              peers         list the peers on the rendezvous ("DHT") services
              connect PEER  connect through the rendezvous services to PEER (an id, or a
                            name only one listed peer has)
              listen        register with the rendezvous services and wait for requests;
                            answer each with /accept or /reject (or start with --accept)

            Once connected, every line you type is sent. Commands:
              /ping [N]        measure the round trip N times (default 10)
              /bench MIB       send MIB mebibytes on a binary channel; the peer reports the speed
              /status          show the connection state and path
              /send PATH...    offer files to your peer (quote a path with spaces: "a b.pdf")
              /accept [ID] [DIR]
                               accept a file offer into DIR (default: --accept-files DIR, else
                               "P2P Chat" under Downloads); ID may be left out if one offer waits
              /decline [ID]    decline a file offer
              /transfers       list the file transfers of this profile with their state
              /quit            disconnect and exit (so does end of input)

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
              --rendezvous URL     a rendezvous service instead of the profile's (repeatable)
              --unlisted           stay out of public peer lists (reachable by id only)
              --accept             listen: accept the first request without asking
              --accept-files DIR   accept every file offer into DIR without asking
              --json               print events as JSON lines, for scripts (stdout then carries
                                   nothing else)
              --verbose            log to stderr instead of the profile's logs/cli.log

            Exit codes:
              0  you ended the chat (/quit or end of input), or the peers were listed
              1  no chat came about (could not connect, declined, bad input, no service)
              2  the command line is wrong
              3  the chat ended from your peer's side (they left, or the connection was lost)
            """;

    static CliOptions parse(String[] args) throws IllegalArgumentException {
        Mode mode = null;
        String name = null;
        List<IceServer> ice = new ArrayList<>();
        boolean fromProfile = true;
        TextSignalingProvider.Form form = TextSignalingProvider.Form.COMPACT;
        boolean json = false;
        String peer = null;
        List<URI> rendezvous = new ArrayList<>();
        boolean listed = true;
        boolean acceptAll = false;
        Path acceptFilesInto = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "offer" -> mode = once(mode, Mode.OFFER);
                case "answer" -> mode = once(mode, Mode.ANSWER);
                case "peers" -> mode = once(mode, Mode.PEERS);
                case "listen" -> mode = once(mode, Mode.LISTEN);
                case "connect" -> {
                    mode = once(mode, Mode.CONNECT);
                    peer = value(args, ++i, a);
                }
                case "--rendezvous" -> rendezvous.add(serviceUrl(value(args, ++i, a)));
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
                    case "compact" -> TextSignalingProvider.Form.COMPACT;
                    case "json" -> TextSignalingProvider.Form.BROWSER_JSON;
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
            throw new IllegalArgumentException("say offer, answer, peers, connect PEER or listen");
        }
        for (IceServer s : ice) {
            s.problem().ifPresent(problem -> {
                throw new IllegalArgumentException("--ice " + s.url() + ": " + problem
                        + (s.isTurn() ? " (--ice-user, --ice-credential)" : ""));
            });
        }
        return new CliOptions(mode, name, List.copyOf(ice), fromProfile, form, json, peer, List.copyOf(rendezvous),
                listed, acceptAll, acceptFilesInto);
    }

    private static Mode once(Mode current, Mode next) {
        if (current != null && current != next) {
            throw new IllegalArgumentException("say one of offer, answer, peers, connect or listen, not two");
        }
        return next;
    }

    /** Whether the connection is made through the rendezvous services rather than by pasting. */
    boolean viaDirectory() {
        return mode == Mode.PEERS || mode == Mode.CONNECT || mode == Mode.LISTEN;
    }

    private static URI serviceUrl(String text) {
        ServiceEntry entry = new ServiceEntry("", text, true, false);
        entry.problem().ifPresent(problem -> {
            throw new IllegalArgumentException("--rendezvous " + text + ": " + problem);
        });
        return URI.create(entry.url());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
