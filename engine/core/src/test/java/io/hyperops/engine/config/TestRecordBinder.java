package io.hyperops.engine.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.engine.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings nested in settings, a record or a list of records (of one kind, or of several told apart by
 * a {@code "type"} property, as the update job's providers): every problem inside them is reported with
 * its place, and unknown keys and kinds with a suggestion, as at the top level.
 */
final class TestRecordBinder
{
    private final ObjectMapper mapper = JsonMapper.create();
    private final RecordBinder binder = new RecordBinder(mapper);

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "type")
    @JsonSubTypes({@JsonSubTypes.Type(value = Shape.Circle.class, name = "circle"), @JsonSubTypes.Type(value = Shape.Square.class, name = "square")})
    sealed interface Shape
    {
        String type();

        record Circle(Integer radius)
                implements Shape
        {
            public Circle
            {
                radius = radius == null ? 1 : radius;
                if (radius <= 0) {
                    throw new IllegalArgumentException("radius must be positive, not " + radius);
                }
            }

            @Override
            public String type()
            {
                return "circle";
            }
        }

        record Square(Integer side)
                implements Shape
        {
            @Override
            public String type()
            {
                return "square";
            }
        }
    }

    record Limits(Integer most, Integer least) {}

    record Drawing(String title, Limits limits, List<Shape> shapes, List<Limits> ranges) {}

    @Test
    void everyProblemInsideNestedSettingsAndListsIsReportedWithItsPlace()
            throws Exception
    {
        String text = """
                {
                  "title": "t",
                  "limits": { "mots": 3 },
                  "shapes": [
                    { "type": "circle", "raduis": 2 },
                    { "type": "squre", "side": 1 },
                    { "side": 2 },
                    { "type": "circle", "radius": -1 },
                    7
                  ],
                  "ranges": [ { "least": "few" }, null ]
                }
                """;
        Path file = Path.of("/tmp/drawing.json");
        ProblemCollector problems = new ProblemCollector(file, SourceLocations.scan(mapper.getFactory(), text));

        Optional<Drawing> drawing = binder.bind(mapper.readTree(text), "", Drawing.class, Set.of(), problems);

        assertThat(drawing).isEmpty();
        List<ConfigProblem> found = problems.sorted();
        assertThat(found).extracting(ConfigProblem::path).containsExactly(
                "limits.mots", "shapes.0.raduis", "shapes.1.type", "shapes.2", "shapes.3.radius", "shapes.4", "ranges.0.least", "ranges.1");
        assertThat(found.get(0).message()).contains("unknown key 'mots'").contains("did you mean 'most'?");
        assertThat(found.get(0).line()).isEqualTo(3);
        assertThat(found.get(1).message()).contains("unknown key 'raduis'").contains("did you mean 'radius'?");
        assertThat(found.get(1).line()).isEqualTo(5);
        assertThat(found.get(2).message()).isEqualTo("unknown type 'squre'; did you mean 'square'?");
        assertThat(found.get(3).message()).isEqualTo("needs \"type\": one of circle, square");
        assertThat(found.get(4).message()).isEqualTo("radius must be positive, not -1");
        assertThat(found.get(4).line()).isEqualTo(8);
        assertThat(found.get(5).message()).isEqualTo("must be an object { ... }, not number");
        assertThat(found.get(6).message()).contains("expected");
        assertThat(found.get(6).line()).isEqualTo(11);
        assertThat(found.get(7).message()).isEqualTo("must be an object { ... }, not null");
    }

    @Test
    void goodNestedSettingsAreBuiltWithTheirDefaults()
            throws Exception
    {
        String text = """
                { "limits": { "most": 3 }, "shapes": [ { "type": "circle" }, { "type": "square", "side": 4 } ], "ranges": [] }
                """;
        ProblemCollector problems = new ProblemCollector(Path.of("/tmp/drawing.json"), SourceLocations.scan(mapper.getFactory(), text));

        Drawing drawing = binder.bind(mapper.readTree(text), "", Drawing.class, Set.of(), problems).orElseThrow();

        assertThat(problems.isEmpty()).isTrue();
        assertThat(drawing.limits()).isEqualTo(new Limits(3, null));
        assertThat(drawing.shapes()).containsExactly(new Shape.Circle(1), new Shape.Square(4));
        assertThat(drawing.ranges()).isEmpty();
        assertThat(drawing.title()).isNull();
    }
}
