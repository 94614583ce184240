package io.camelpowerbi.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;

/**
 * What the loaded routes use, read from their definitions before they start, so the runner starts only that: the
 * embedded broker for {@code jms:}, the database for {@code sql:}/{@code jdbc:} or a reference to the bean
 * {@code database}.
 */
record RouteUses(boolean jms, boolean database) {

    /** {@code #database}, {@code #bean:database} (also URL-encoded), as a whole name. */
    private static final Pattern DATABASE_BEAN =
            Pattern.compile("(#|%23)(bean:)?" + RunnerDatabase.BEAN + "(?![A-Za-z0-9_.-])");

    static RouteUses of(CamelContext context) {
        return of(uris(context));
    }

    static RouteUses of(List<String> uris) {
        boolean jms = false;
        boolean database = false;
        for (String uri : uris) {
            String u = uri.trim().toLowerCase(Locale.ROOT);
            jms |= u.startsWith("jms:");
            database |= u.startsWith("sql:")
                    || u.startsWith("sql-stored:")
                    || u.startsWith("jdbc:")
                    || DATABASE_BEAN.matcher(uri).find();
        }
        return new RouteUses(jms, database);
    }

    /** Every endpoint URI of every route definition: its input and every output that names an endpoint. */
    static List<String> uris(CamelContext context) {
        List<String> uris = new ArrayList<>();
        for (RouteDefinition route :
                context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()) {
            if (route.getInput() != null && route.getInput().getEndpointUri() != null) {
                uris.add(route.getInput().getEndpointUri());
            }
            for (EndpointRequiredDefinition to : ProcessorDefinitionHelper.filterTypeInOutputs(
                    route.getOutputs(), EndpointRequiredDefinition.class)) {
                if (to.getEndpointUri() != null) {
                    uris.add(to.getEndpointUri());
                }
            }
        }
        return uris;
    }
}
