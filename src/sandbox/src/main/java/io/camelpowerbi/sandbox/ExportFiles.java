package io.camelpowerbi.sandbox;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * Small but valid files for export jobs: a hand-written PDF 1.4 with one page per report page naming the report,
 * images drawn pixel by pixel (no fonts needed, so it works headless), and minimal OOXML packages (PPTX with master,
 * layout and theme so PowerPoint opens it; XLSX; DOCX).
 */
final class ExportFiles {

    /** What a job produces: extension and content type. */
    enum Kind {
        PDF(".pdf", "application/pdf"),
        PPTX(".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        PNG(".png", "image/png"),
        PNG_ZIP(".zip", "application/zip"),
        TIFF(".tiff", "image/tiff"),
        JPEG(".jpeg", "image/jpeg"),
        GIF(".gif", "image/gif"),
        BMP(".bmp", "image/bmp"),
        XLSX(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        DOCX(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        CSV(".csv", "text/csv; charset=utf-8"),
        XML(".xml", "application/xml; charset=utf-8"),
        MHTML(".mhtml", "multipart/related");

        private final String extension;
        private final String contentType;

        Kind(String extension, String contentType) {
            this.extension = extension;
            this.contentType = contentType;
        }

        String extension() {
            return extension;
        }

        String contentType() {
            return contentType;
        }
    }

    private ExportFiles() {}

    static byte[] generate(Kind kind, String reportName, int pages) {
        try {
            return switch (kind) {
                case PDF -> pdf(reportName, pages);
                case PPTX -> pptx(reportName, pages);
                case PNG -> image(reportName, 1, "png");
                case PNG_ZIP -> pngZip(reportName, pages);
                case TIFF -> image(reportName, 1, "tiff");
                case JPEG -> image(reportName, 1, "jpeg");
                case GIF -> image(reportName, 1, "gif");
                case BMP -> image(reportName, 1, "bmp");
                case XLSX -> xlsx(reportName);
                case DOCX -> docx(reportName);
                case CSV -> ("Report,Page\r\n" + csv(reportName) + ",1\r\n").getBytes(StandardCharsets.UTF_8);
                case XML ->
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Report Name=\"" + xml(reportName) + "\" Pages=\""
                                    + pages + "\"/>\n")
                            .getBytes(StandardCharsets.UTF_8);
                case MHTML -> mhtml(reportName);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate the " + kind + " export file", e);
        }
    }

    // ------------------------------------------------------------------ PDF

    /** A PDF 1.4 with {@code pages} A4-landscape pages, each showing the report name in Helvetica. */
    static byte[] pdf(String reportName, int pages) {
        int n = Math.max(1, pages);
        List<String> objects = new ArrayList<>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < n; i++) {
            kids.append(4 + 2 * i).append(" 0 R ");
        }
        objects.add("<< /Type /Pages /Kids [" + kids.toString().trim() + "] /Count " + n + " >>");
        objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        for (int i = 0; i < n; i++) {
            String text = "BT /F1 28 Tf 72 480 Td (" + pdfText(reportName) + ") Tj ET\n"
                    + "BT /F1 12 Tf 72 440 Td (Exported by the camel-powerbi sandbox - page " + (i + 1) + " of " + n
                    + ") Tj ET\n";
            objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Resources << /Font << /F1 3 0 R >> >>"
                    + " /Contents " + (5 + 2 * i) + " 0 R >>");
            objects.add("<< /Length " + text.getBytes(StandardCharsets.ISO_8859_1).length + " >>\nstream\n" + text
                    + "endstream");
        }
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(pdf.length());
            pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.size() + 1).append('\n').append("0000000000 65535 f \n");
        for (int offset : offsets) {
            pdf.append(String.format(Locale.ROOT, "%010d 00000 n \n", offset));
        }
        pdf.append("trailer\n<< /Size ")
                .append(objects.size() + 1)
                .append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref)
                .append("\n%%EOF\n");
        // every character is Latin-1, so string offsets are byte offsets
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String pdfText(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ images

    /** A 640x360 picture of a bar chart whose colours derive from the report name. */
    static byte[] image(String reportName, int page, String format) throws IOException {
        int w = 640;
        int h = 360;
        boolean indexed = "gif".equals(format);
        BufferedImage img =
                new BufferedImage(w, h, indexed ? BufferedImage.TYPE_BYTE_INDEXED : BufferedImage.TYPE_INT_RGB);
        int hash = (reportName + "#" + page).hashCode();
        int accent = 0x1f77b4 ^ (hash & 0x3f3f3f);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, y < 40 ? 0xf2c811 : 0xffffff);
            }
        }
        for (int bar = 0; bar < 8; bar++) {
            int barHeight = 40 + Math.floorMod(hash >> bar, 240);
            for (int y = h - 20 - barHeight; y < h - 20; y++) {
                for (int x = 40 + bar * 72; x < 40 + bar * 72 + 48; x++) {
                    img.setRGB(x, y, accent);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    private static byte[] pngZip(String reportName, int pages) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 1; i <= Math.max(1, pages); i++) {
            entries.put("Page" + i + ".png", image(reportName, i, "png"));
        }
        return zip(entries);
    }

    // ------------------------------------------------------------------ OOXML

    private static final String P_NS = "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
            + "xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\"";
    private static final String XML_HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    private static final String REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    private static final String CT = "application/vnd.openxmlformats-officedocument.";
    private static final String EMPTY_TREE =
            "<p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/><p:nvPr/>" + "</p:nvGrpSpPr><p:grpSpPr/>";

    /** A minimal presentation PowerPoint opens: one slide per page with the report name, master, layout, theme. */
    static byte[] pptx(String reportName, int pages) throws IOException {
        int n = Math.max(1, pages);
        Map<String, byte[]> parts = new LinkedHashMap<>();
        StringBuilder types = new StringBuilder(XML_HEAD)
                .append("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
                .append(
                        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
                .append("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
                .append(override("/ppt/presentation.xml", CT + "presentationml.presentation.main+xml"))
                .append(override("/ppt/slideMasters/slideMaster1.xml", CT + "presentationml.slideMaster+xml"))
                .append(override("/ppt/slideLayouts/slideLayout1.xml", CT + "presentationml.slideLayout+xml"))
                .append(override("/ppt/theme/theme1.xml", CT + "theme+xml"));
        for (int i = 1; i <= n; i++) {
            types.append(override("/ppt/slides/slide" + i + ".xml", CT + "presentationml.slide+xml"));
        }
        parts.put("[Content_Types].xml", utf8(types.append("</Types>").toString()));
        parts.put("_rels/.rels", rels(rel("rId1", "officeDocument", "ppt/presentation.xml")));

        StringBuilder slideIds = new StringBuilder();
        StringBuilder presRels = new StringBuilder(rel("rId1", "slideMaster", "slideMasters/slideMaster1.xml"))
                .append(rel("rId2", "theme", "theme/theme1.xml"));
        for (int i = 1; i <= n; i++) {
            slideIds.append("<p:sldId id=\"")
                    .append(255 + i)
                    .append("\" r:id=\"rId")
                    .append(2 + i)
                    .append("\"/>");
            presRels.append(rel("rId" + (2 + i), "slide", "slides/slide" + i + ".xml"));
        }
        parts.put(
                "ppt/presentation.xml",
                utf8(XML_HEAD + "<p:presentation " + P_NS + ">"
                        + "<p:sldMasterIdLst><p:sldMasterId id=\"2147483648\" r:id=\"rId1\"/></p:sldMasterIdLst>"
                        + "<p:sldIdLst>" + slideIds + "</p:sldIdLst>"
                        + "<p:sldSz cx=\"12192000\" cy=\"6858000\"/><p:notesSz cx=\"6858000\" cy=\"9144000\"/>"
                        + "</p:presentation>"));
        parts.put("ppt/_rels/presentation.xml.rels", rels(presRels.toString()));

        parts.put(
                "ppt/slideMasters/slideMaster1.xml",
                utf8(XML_HEAD + "<p:sldMaster " + P_NS + ">"
                        + "<p:cSld><p:spTree>" + EMPTY_TREE + "</p:spTree></p:cSld>"
                        + "<p:clrMap bg1=\"lt1\" tx1=\"dk1\" bg2=\"lt2\" tx2=\"dk2\" accent1=\"accent1\" accent2=\"accent2\""
                        + " accent3=\"accent3\" accent4=\"accent4\" accent5=\"accent5\" accent6=\"accent6\" hlink=\"hlink\""
                        + " folHlink=\"folHlink\"/>"
                        + "<p:sldLayoutIdLst><p:sldLayoutId id=\"2147483649\" r:id=\"rId1\"/></p:sldLayoutIdLst>"
                        + "</p:sldMaster>"));
        parts.put(
                "ppt/slideMasters/_rels/slideMaster1.xml.rels",
                rels(rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml")
                        + rel("rId2", "theme", "../theme/theme1.xml")));
        parts.put(
                "ppt/slideLayouts/slideLayout1.xml",
                utf8(XML_HEAD + "<p:sldLayout " + P_NS
                        + " type=\"blank\" preserve=\"1\"><p:cSld name=\"Blank\"><p:spTree>" + EMPTY_TREE
                        + "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"));
        parts.put(
                "ppt/slideLayouts/_rels/slideLayout1.xml.rels",
                rels(rel("rId1", "slideMaster", "../slideMasters/slideMaster1.xml")));
        for (int i = 1; i <= n; i++) {
            parts.put(
                    "ppt/slides/slide" + i + ".xml",
                    utf8(XML_HEAD + "<p:sld " + P_NS + "><p:cSld><p:spTree>"
                            + EMPTY_TREE
                            + "<p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Title\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr>"
                            + "<p:spPr><a:xfrm><a:off x=\"838200\" y=\"365125\"/><a:ext cx=\"10515600\" cy=\"1325563\"/>"
                            + "</a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></p:spPr>"
                            + "<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang=\"en-US\" sz=\"3200\"/><a:t>"
                            + xml(reportName) + " (page " + i + " of " + n + ")</a:t></a:r></a:p></p:txBody></p:sp>"
                            + "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"));
            parts.put(
                    "ppt/slides/_rels/slide" + i + ".xml.rels",
                    rels(rel("rId1", "slideLayout", "../slideLayouts/slideLayout1.xml")));
        }
        parts.put("ppt/theme/theme1.xml", utf8(theme()));
        return zip(parts);
    }

    private static String theme() {
        StringBuilder colors = new StringBuilder();
        String[][] scheme = {
            {"dk1", "000000"},
            {"lt1", "FFFFFF"},
            {"dk2", "44546A"},
            {"lt2", "E7E6E6"},
            {"accent1", "4472C4"},
            {"accent2", "ED7D31"},
            {"accent3", "A5A5A5"},
            {"accent4", "FFC000"},
            {"accent5", "5B9BD5"},
            {"accent6", "70AD47"},
            {"hlink", "0563C1"},
            {"folHlink", "954F72"}
        };
        for (String[] c : scheme) {
            colors.append("<a:")
                    .append(c[0])
                    .append("><a:srgbClr val=\"")
                    .append(c[1])
                    .append("\"/></a:")
                    .append(c[0])
                    .append('>');
        }
        String fill = "<a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill>";
        String line = "<a:ln w=\"6350\"><a:solidFill><a:schemeClr val=\"phClr\"/></a:solidFill></a:ln>";
        String effect = "<a:effectStyle><a:effectLst/></a:effectStyle>";
        String font = "<a:latin typeface=\"Calibri\"/><a:ea typeface=\"\"/><a:cs typeface=\"\"/>";
        return XML_HEAD + "<a:theme xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" name=\"Sandbox\">"
                + "<a:themeElements><a:clrScheme name=\"Sandbox\">" + colors + "</a:clrScheme>"
                + "<a:fontScheme name=\"Sandbox\"><a:majorFont>" + font + "</a:majorFont><a:minorFont>" + font
                + "</a:minorFont></a:fontScheme>"
                + "<a:fmtScheme name=\"Sandbox\"><a:fillStyleLst>" + fill + fill + fill + "</a:fillStyleLst>"
                + "<a:lnStyleLst>" + line + line + line + "</a:lnStyleLst>"
                + "<a:effectStyleLst>" + effect + effect + effect + "</a:effectStyleLst>"
                + "<a:bgFillStyleLst>" + fill + fill + fill + "</a:bgFillStyleLst></a:fmtScheme>"
                + "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>";
    }

    /** A workbook with one sheet naming the report. */
    static byte[] xlsx(String reportName) throws IOException {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put(
                "[Content_Types].xml",
                utf8(XML_HEAD
                        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                        + override("/xl/workbook.xml", CT + "spreadsheetml.sheet.main+xml")
                        + override("/xl/worksheets/sheet1.xml", CT + "spreadsheetml.worksheet+xml") + "</Types>"));
        parts.put("_rels/.rels", rels(rel("rId1", "officeDocument", "xl/workbook.xml")));
        parts.put(
                "xl/workbook.xml",
                utf8(XML_HEAD
                        + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\""
                        + "http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
                        + "<sheet name=\"Report\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"));
        parts.put("xl/_rels/workbook.xml.rels", rels(rel("rId1", "worksheet", "worksheets/sheet1.xml")));
        parts.put(
                "xl/worksheets/sheet1.xml",
                utf8(XML_HEAD
                        + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
                        + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>" + xml(reportName) + "</t></is></c></row>"
                        + "</sheetData></worksheet>"));
        return zip(parts);
    }

    /** A document with one paragraph naming the report. */
    static byte[] docx(String reportName) throws IOException {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put(
                "[Content_Types].xml",
                utf8(XML_HEAD
                        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                        + override("/word/document.xml", CT + "wordprocessingml.document.main+xml") + "</Types>"));
        parts.put("_rels/.rels", rels(rel("rId1", "officeDocument", "word/document.xml")));
        parts.put(
                "word/document.xml",
                utf8(XML_HEAD
                        + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
                        + "<w:p><w:r><w:t>" + xml(reportName) + "</w:t></w:r></w:p></w:body></w:document>"));
        return zip(parts);
    }

    private static byte[] mhtml(String reportName) {
        String html = "<html><body><h1>" + xml(reportName) + "</h1></body></html>";
        return ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"sandbox-boundary\"\r\n\r\n"
                        + "--sandbox-boundary\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
                        + "\r\n--sandbox-boundary--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String override(String part, String type) {
        return "<Override PartName=\"" + part + "\" ContentType=\"" + type + "\"/>";
    }

    private static String rel(String id, String type, String target) {
        return "<Relationship Id=\"" + id + "\" Type=\"" + REL + type + "\" Target=\"" + target + "\"/>";
    }

    private static byte[] rels(String relationships) {
        return utf8(XML_HEAD + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + relationships + "</Relationships>");
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String xml(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? '?' : c);
            }
        }
        return out.toString();
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
