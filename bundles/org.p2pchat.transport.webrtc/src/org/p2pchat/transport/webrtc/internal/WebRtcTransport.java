package org.p2pchat.transport.webrtc.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.p2pchat.core.IceServer;
import org.p2pchat.core.PeerSession;
import org.p2pchat.core.PeerTransport;
import org.p2pchat.core.SessionConfig;
import org.p2pchat.core.SessionException;
import org.p2pchat.core.health.HealthStatus;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;

/**
 * The WebRTC transport. Holds the one {@link PeerConnectionFactory} of the process: each factory
 * leaks threads and memory when disposed, and the no-argument constructor aborts the JVM on a
 * machine without a sound device, so the factory is built once, with a headless audio module,
 * on first use (the native library costs ~200 ms and 23 MB of temp space to load), and disposed
 * when the component goes away (libwebrtc's attached thread keeps the JVM alive otherwise).
 */
@Component(service = PeerTransport.class)
public final class WebRtcTransport implements PeerTransport {

    private PeerConnectionFactory factory;
    private HeadlessAudioDeviceModule audio;
    private boolean disposed;

    @Override
    public PeerSession createSession(SessionConfig config) throws SessionException {
        for (IceServer server : config.iceServers()) {
            // libwebrtc crashes the whole process on some malformed URLs: never hand it one.
            Optional<String> problem = server.problem();
            if (problem.isPresent()) {
                throw new SessionException("ICE server " + server.url() + " cannot be used: " + problem.get());
            }
        }
        return new WebRtcPeerSession(factory(), config);
    }

    @Override
    public CompletableFuture<HealthStatus> checkIceServer(IceServer server) {
        Optional<String> problem = server.problem();
        if (problem.isPresent()) {
            return CompletableFuture.completedFuture(HealthStatus.failed("not usable: " + problem.get(), Duration.ZERO));
        }
        try {
            return IceServerCheck.run(factory(), server);
        } catch (SessionException e) {
            return CompletableFuture.completedFuture(HealthStatus.failed(e.getMessage(), Duration.ZERO));
        }
    }

    synchronized PeerConnectionFactory factory() throws SessionException {
        if (disposed) {
            throw new SessionException("The WebRTC transport is shutting down.");
        }
        if (factory == null) {
            try {
                audio = new HeadlessAudioDeviceModule();
                factory = new PeerConnectionFactory(audio);
            } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
                throw new SessionException("The WebRTC native library could not be loaded (" + e.getMessage()
                        + "). On Debian or Ubuntu, install the package libpulse0.", e);
            }
        }
        return factory;
    }

    @Deactivate
    synchronized void deactivate() {
        disposed = true;
        if (factory != null) {
            factory.dispose();
            factory = null;
        }
        if (audio != null) {
            audio.dispose();
            audio = null;
        }
    }
}
