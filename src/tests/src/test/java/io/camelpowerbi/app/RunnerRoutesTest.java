package io.camelpowerbi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

/** Every YAML file in routes/ parses, with the placeholders of config/application.properties. */
class RunnerRoutesTest {

    @Test
    void everyShippedRouteFileLoads() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no routes/*.camel.yaml");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:config/application.properties");
            for (Path file : files) {
                PluginHelper.getRoutesLoader(context)
                        .loadRoutes(ResourceHelper.fromString(file.getFileName().toString(), Files.readString(file)));
            }
            Set<String> ids = context.getRouteDefinitions().stream()
                    .map(r -> r.getRouteId())
                    .collect(Collectors.toSet());
            assertEquals(
                    Set.of(
                            "orders-to-powerbi",
                            "refresh-on-load",
                            "refresh-outcomes",
                            "warehouse-stand-in",
                            "dax-to-csv",
                            "report-to-pdf",
                            "activity-to-database"),
                    ids);
        }
    }
}
