package org.p2pchat.cli.internal;

import java.util.ArrayList;
import java.util.List;

import org.p2pchat.core.IceServer;
import org.p2pchat.core.signaling.TextSignalingProvider;

/** The command line of {@code p2pchat cli}. */
record CliOptions(Mode mode, String name, List<IceServer> iceServers, boolean iceFromProfile,
        TextSignalingProvider.Form form, boolean json) {

    enum Mode {
        /** Create an offer, take the answer from stdin, then chat. */
        OFFER,
        /** Take an offer from stdin, print the answer, then chat. */
        ANSWER,
        HELP
    }

    static final String USAGE = """
            Usage: p2pchat cli [options] offer|answer

              offer    create an offer and print it; then paste the peer's answer
              answer   paste the peer's offer; the answer to send back is printed

            Once connected, every line you type is sent. Commands:
              /ping [N]        measure the round trip N times (default 10)
              /bench MIB       send MIB mebibytes on a binary channel; the peer reports the speed
              /status          show the connection state and path
              /quit            disconnect and exit (so does end of input)

            Options:
              --name NAME          your display name (default: the profile's username)
              --ice URL            a STUN/TURN server instead of the profile's (repeatable);
                                   TURN as turn:host:port with --ice-user and --ice-credential
              --ice-user USER      username for the preceding TURN --ice
              --ice-credential PW  credential for the preceding TURN --ice
              --no-ice             no STUN/TURN servers: host candidates only (LAN, tests)
              --form compact|json  how descriptions are printed: compact one line (default)
                                   or the browser web app's JSON
              --json               print events as JSON lines, for scripts
            """;

    static CliOptions parse(String[] args) throws IllegalArgumentException {
        Mode mode = null;
        String name = null;
        List<IceServer> ice = new ArrayList<>();
        boolean fromProfile = true;
        TextSignalingProvider.Form form = TextSignalingProvider.Form.COMPACT;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "offer" -> mode = once(mode, Mode.OFFER);
                case "answer" -> mode = once(mode, Mode.ANSWER);
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
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
            }
        }
        if (mode == null) {
            throw new IllegalArgumentException("say 'offer' or 'answer'");
        }
        for (IceServer s : ice) {
            s.problem().ifPresent(problem -> {
                throw new IllegalArgumentException("--ice " + s.url() + ": " + problem
                        + (s.isTurn() ? " (--ice-user, --ice-credential)" : ""));
            });
        }
        return new CliOptions(mode, name, List.copyOf(ice), fromProfile, form, json);
    }

    private static Mode once(Mode current, Mode next) {
        if (current != null && current != next) {
            throw new IllegalArgumentException("say either 'offer' or 'answer', not both");
        }
        return next;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
