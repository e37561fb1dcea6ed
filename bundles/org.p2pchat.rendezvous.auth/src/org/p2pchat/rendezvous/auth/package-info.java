/**
 * How a request to a rendezvous service's authenticated API is authenticated: the identity-signed
 * {@code P2PChat-Ed25519} header ({@link org.p2pchat.rendezvous.auth.SignedRequest}) and the
 * session's {@code P2PChat-Session} MAC header ({@link org.p2pchat.rendezvous.auth.SessionRequest}).
 * One definition shared by the service that checks them and the provider that writes them; the
 * core knows nothing of it (a provider signs with {@code ProviderContext.sign}).
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.p2pchat.rendezvous.auth;
