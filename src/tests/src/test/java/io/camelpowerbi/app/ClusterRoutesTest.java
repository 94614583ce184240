package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of routes/cluster/ with config/cluster.properties, as {@code run --config config/cluster.properties}. */
class ClusterRoutesTest {

    @TempDir
    Path dir;

    static List<Path> clusterRoutes() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("routes", "cluster"))) {
            return s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }

    static void load(DefaultCamelContext context, Path file) throws Exception {
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.fromString(file.getFileName().toString(), Files.readString(file)));
    }

    @Test
    void everyClusterRouteFileLoadsWithTheClusterProperties() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:config/cluster.properties");
            for (Path file : clusterRoutes()) {
                load(context, file);
            }
            Set<String> ids = context.getRouteDefinitions().stream()
                    .map(r -> r.getRouteId())
                    .collect(Collectors.toSet());
            assertEquals(Set.of("activity-master", "activity-to-file"), ids);
            FileLockClusterService cluster = context.getRegistry().findSingleByType(FileLockClusterService.class);
            assertEquals("node-1", cluster.getId());
            assertEquals("data/cluster", cluster.getRoot());
            assertEquals(2000, cluster.getAcquireLockInterval());
        }
    }

    @Test
    void theFileSinkWritesOneJsonLinePerEventIntoTheFileOfItsUtcDate() throws Exception {
        Properties p = new Properties();
        p.setProperty("powerbi.data.dir", dir.toString());
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setInitialProperties(p);
            load(context, Path.of("routes/cluster/activity-to-file.camel.yaml"));
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            template.sendBody(
                    "direct:activity-event",
                    Map.of("Id", "e1", "CreationTime", "2026-11-29T23:59:59", "Activity", "ViewReport"));
            template.sendBody(
                    "direct:activity-event",
                    Map.of("Id", "e2", "CreationTime", "2026-11-30T00:00:00", "Activity", "ExportReport"));
            template.sendBody(
                    "direct:activity-event",
                    Map.of("Id", "e3", "CreationTime", "2026-11-30T08:15:00", "Activity", "ViewReport"));
        }
        ObjectMapper json = new ObjectMapper();
        List<String> day1 = Files.readAllLines(dir.resolve("activity/activity-2026-11-29.ndjson"));
        List<String> day2 = Files.readAllLines(dir.resolve("activity/activity-2026-11-30.ndjson"));
        assertEquals(List.of("e1"), ids(json, day1));
        assertEquals(List.of("e2", "e3"), ids(json, day2));
        assertEquals("ExportReport", json.readTree(day2.get(0)).get("Activity").asText());
    }

    private static List<String> ids(ObjectMapper json, List<String> lines) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : lines) {
            JsonNode event = json.readTree(line);
            ids.add(event.get("Id").asText());
        }
        return ids;
    }
}
