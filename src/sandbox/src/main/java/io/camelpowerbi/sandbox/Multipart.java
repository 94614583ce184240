package io.camelpowerbi.sandbox;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams through a {@code multipart/form-data} body and reports each part's headers, size and first bytes without
 * holding the content: enough for an import to know which file came, how large it is and whether it looks like a zip
 * or XML, even for a file of gigabytes.
 */
final class Multipart {

    /** One part: form field name, file name (null for plain fields), content type, size and its first bytes. */
    record Part(String name, String filename, String contentType, long size, byte[] head) {}

    static final int HEAD_BYTES = 64;
    private static final Pattern BOUNDARY =
            Pattern.compile("boundary=(\"([^\"]+)\"|[^;\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern PARAM = Pattern.compile("(\\w+)\\*?=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;\\s]+)");

    private Multipart() {}

    /** The boundary of a {@code multipart/form-data} content type, or null. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            return null;
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            return null;
        }
        return m.group(2) != null ? m.group(2) : m.group(1);
    }

    /** Reads the whole body; throws {@link IllegalArgumentException} when it is not well-formed. */
    static List<Part> scan(InputStream body, String boundary) throws IOException {
        InputStream in = new BufferedInputStream(body, 64 * 1024);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int[] fail = failure(delimiter);
        List<Part> parts = new ArrayList<>();
        // the first delimiter has no CRLF before it: start as if one was just read; the preamble is discarded
        if (skipTo(in, delimiter, fail, 2, null) < 0) {
            throw new IllegalArgumentException("no multipart boundary '" + boundary + "' in the body");
        }
        while (true) {
            int a = in.read();
            int b = in.read();
            if (a == '-' && b == '-') {
                return parts;
            }
            if (a != '\r' || b != '\n') {
                throw new IllegalArgumentException("malformed multipart body after a boundary");
            }
            String disposition = null;
            String contentType = null;
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String header = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (header.equals("content-disposition")) {
                    disposition = value;
                } else if (header.equals("content-type")) {
                    contentType = value;
                }
            }
            byte[][] head = new byte[1][];
            long size = skipTo(in, delimiter, fail, 0, head);
            if (size < 0) {
                throw new IllegalArgumentException("multipart body ends without its closing boundary");
            }
            parts.add(new Part(param(disposition, "name"), param(disposition, "filename"), contentType, size, head[0]));
        }
    }

    /**
     * Consumes bytes up to and including the delimiter; returns the number of bytes before it (-1 at end of stream)
     * and, when {@code head} is given, their first {@link #HEAD_BYTES} bytes in {@code head[0]}.
     */
    private static long skipTo(InputStream in, byte[] delimiter, int[] fail, int matched, byte[][] head)
            throws IOException {
        long consumed = 0;
        byte[] first = new byte[HEAD_BYTES];
        int b;
        while ((b = in.read()) >= 0) {
            if (consumed < HEAD_BYTES) {
                first[(int) consumed] = (byte) b;
            }
            consumed++;
            while (matched > 0 && delimiter[matched] != (byte) b) {
                matched = fail[matched - 1];
            }
            if (delimiter[matched] == (byte) b) {
                matched++;
            }
            if (matched == delimiter.length) {
                long size = consumed - delimiter.length;
                if (head != null) {
                    head[0] = Arrays.copyOf(first, (int) Math.max(0, Math.min(size, HEAD_BYTES)));
                }
                return Math.max(0, size);
            }
        }
        return -1;
    }

    private static int[] failure(byte[] pattern) {
        int[] fail = new int[pattern.length];
        int k = 0;
        for (int i = 1; i < pattern.length; i++) {
            while (k > 0 && pattern[k] != pattern[i]) {
                k = fail[k - 1];
            }
            if (pattern[k] == pattern[i]) {
                k++;
            }
            fail[i] = k;
        }
        return fail;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                break;
            }
            if (line.size() > 16 * 1024) {
                throw new IllegalArgumentException("multipart header line too long");
            }
            line.write(b);
        }
        if (b < 0) {
            throw new IllegalArgumentException("multipart body ends inside the part headers");
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static String param(String header, String name) {
        if (header == null) {
            return null;
        }
        Matcher m = PARAM.matcher(header);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) {
                return m.group(3) != null ? m.group(3).replace("\\\"", "\"") : m.group(2);
            }
        }
        return null;
    }
}
