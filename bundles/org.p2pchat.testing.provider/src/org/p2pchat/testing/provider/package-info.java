/** A connection provider for tests only, in no feature or product: {@link org.p2pchat.testing.provider.FolderMailboxProvider}. */
@org.osgi.annotation.versioning.Version("0.1.0")
package org.p2pchat.testing.provider;
