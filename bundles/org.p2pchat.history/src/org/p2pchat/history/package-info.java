/**
 * A profile's message history: its conversations and their messages, kept in an embedded
 * transactional database (H2), encrypted at rest with a key of the profile's vault. Written by the
 * client layer (what was sent and received, and how far delivery got), read by views through it.
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.p2pchat.history;
