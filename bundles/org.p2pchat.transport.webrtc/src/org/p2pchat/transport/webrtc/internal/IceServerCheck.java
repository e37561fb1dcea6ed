package org.p2pchat.transport.webrtc.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.p2pchat.core.IceServer;
import org.p2pchat.core.health.HealthStatus;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceGatheringState;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;

/**
 * Checks a STUN or TURN server by gathering candidates through it alone, as a real session
 * would: a STUN server must yield a server-reflexive candidate, a TURN server a relayed one.
 */
final class IceServerCheck implements PeerConnectionObserver {

    static final long TIMEOUT_MS = 5000;

    private final IceServer server;
    private final String wantedType;
    private final long start = System.nanoTime();
    private final CompletableFuture<HealthStatus> result = new CompletableFuture<>();
    private volatile String lastError;
    private RTCPeerConnection pc;

    private IceServerCheck(IceServer server) {
        this.server = server;
        this.wantedType = server.isTurn() ? "relay" : "srflx";
    }

    static CompletableFuture<HealthStatus> run(PeerConnectionFactory factory, IceServer server) {
        IceServerCheck check = new IceServerCheck(server);
        check.start(factory);
        return check.result;
    }

    private void start(PeerConnectionFactory factory) {
        RTCConfiguration rtc = RtcConfigurations.of(List.of(server));
        if (server.isTurn()) {
            rtc.iceTransportPolicy = RTCIceTransportPolicy.RELAY; // only what the TURN server gives
        }
        try {
            pc = factory.createPeerConnection(rtc, this);
        } catch (Error e) {
            if (!Sdp.isNativeInputError(e)) {
                throw e;
            }
            finish(HealthStatus.failed("not usable: " + e.getMessage(), elapsed()));
            return;
        }
        if (pc == null) {
            finish(HealthStatus.failed("not usable: check the URL", elapsed()));
            return;
        }
        result.completeOnTimeout(HealthStatus.failed(failureText("no answer within " + TIMEOUT_MS / 1000 + " s"),
                Duration.ofMillis(TIMEOUT_MS)), TIMEOUT_MS, TimeUnit.MILLISECONDS).whenComplete((s, e) -> close());
        pc.createDataChannel("health-check", new RTCDataChannelInit());
        pc.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                pc.setLocalDescription(description, new SetSessionDescriptionObserver() {
                    @Override
                    public void onSuccess() {
                    }

                    @Override
                    public void onFailure(String error) {
                        finish(HealthStatus.failed(error, elapsed()));
                    }
                });
            }

            @Override
            public void onFailure(String error) {
                finish(HealthStatus.failed(error, elapsed()));
            }
        });
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
        String sdp = candidate.sdp;
        if (sdp.contains(" typ " + wantedType + " ")) {
            String[] f = sdp.split(" ");
            String address = f.length > 5 ? f[4] + ":" + f[5] : "?";
            String what = server.isTurn() ? "relay address " : "public address ";
            Duration took = elapsed();
            finish(HealthStatus.ok("answered in " + took.toMillis() + " ms; " + what + address, took));
        }
    }

    @Override
    public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
        lastError = event.getErrorCode() + " " + event.getErrorText();
    }

    @Override
    public void onIceGatheringChange(RTCIceGatheringState state) {
        if (state != RTCIceGatheringState.COMPLETE) {
            return;
        }
        if (!server.isTurn() && lastError == null) {
            // libwebrtc drops a server-reflexive candidate equal to a host one: the server answered
            // and saw our own address, so nothing translates it on the way.
            Duration took = elapsed();
            finish(HealthStatus.ok("answered in " + took.toMillis() + " ms; no NAT between you and it", took));
        } else {
            finish(HealthStatus.failed(failureText("no " + (server.isTurn() ? "relay" : "public") + " address came back"),
                    elapsed()));
        }
    }

    private String failureText(String fallback) {
        String error = lastError;
        if (error == null) {
            return fallback;
        }
        if (error.startsWith("401")) {
            return "the server refused the username or credential (" + error + ")";
        }
        return fallback + " (server said: " + error + ")";
    }

    private void finish(HealthStatus status) {
        result.complete(status);
    }

    private synchronized void close() {
        if (pc != null) {
            RTCPeerConnection c = pc;
            pc = null;
            // Not on libwebrtc's callback thread: closing there from a callback can deadlock.
            CompletableFuture.runAsync(c::close);
        }
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
