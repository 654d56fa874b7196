package dev.sluice.engine.pipeline;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.Reader;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A YAMLFactory whose parsers refuse, as located issues, what a pipeline must not use: anchors,
 * aliases and tags (see {@link CheckingYamlParser}); SnakeYAML's limits bound the input.
 */
final class CheckingYamlFactory extends YAMLFactory {

    private static final long serialVersionUID = 1L;

    private CheckingYamlFactory(YAMLFactoryBuilder builder) {
        super(builder);
    }

    static CheckingYamlFactory create(int maxCodePoints, int maxDepth) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(maxCodePoints);
        options.setNestingDepthLimit(maxDepth);
        options.setMaxAliasesForCollections(0);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        YAMLFactoryBuilder builder = YAMLFactory.builder()
                .loaderOptions(options)
                // only true/false are booleans: "on", "yes", "n" stay strings (the "Norway problem")
                .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                // "key:" with nothing is null, as YAML says; "key: ''" stays an empty string
                .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth * 2)
                        .maxDocumentLength(maxCodePoints * 2L)
                        .maxStringLength(maxCodePoints * 2)
                        .build());
        return new CheckingYamlFactory(builder);
    }

    @Override
    protected YAMLParser _createParser(Reader r, IOContext ctxt) {
        return new CheckingYamlParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, r);
    }
}
