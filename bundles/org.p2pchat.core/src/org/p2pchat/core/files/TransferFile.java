package org.p2pchat.core.files;

/**
 * One file of a transfer as offered.
 *
 * @param name the name to show: for received files, already made safe for the file system
 * @param size in bytes
 * @param type media type as the sender guessed it, {@code application/octet-stream} if unknown
 */
public record TransferFile(String name, long size, String type) {
}
