package io.camelpowerbi.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An exported file, still streaming from Power BI (exports reach 250 MB, so it is never read into memory here). The
 * caller reads {@link #body()} and closes this to return the connection.
 *
 * @param exportId    Power BI's export job id
 * @param fileName    a safe single-element file name (see {@link FileNames})
 * @param contentType as Power BI sent it, or null
 * @param size        the length in bytes, or -1 when unknown
 */
public record ExportedFile(
        String exportId, String fileName, String contentType, long size, InputStream body, AutoCloseable resource)
        implements AutoCloseable {

    @Override
    public void close() {
        try {
            resource.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("closing the export download failed", e);
        }
    }
}
