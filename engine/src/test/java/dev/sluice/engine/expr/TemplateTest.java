package dev.sluice.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void splitsTextAndExpressionsWithOffsets() {
        Template t = Template.parse("echo ${{ a.b }} and ${{c}}!");

        assertThat(t.parts()).containsExactly(new Template.Text("echo "), new Template.Expr("a.b", 9),
                new Template.Text(" and "), new Template.Expr("c", 23), new Template.Text("!"));
    }

    @Test
    void findsTheEndOutsideStringLiterals() {
        assertThat(Template.parse("${{ \"}}\" + '}}' }}").expressions())
                .containsExactly(new Template.Expr("\"}}\" + '}}'", 4));
    }

    @Test
    void refusesAnUnclosedOrEmptyExpression() {
        assertThatThrownBy(() -> Template.parse("a ${{ b")).isInstanceOf(ExpressionException.class)
                .hasMessage("'${{' is not closed by '}}'")
                .satisfies(e -> assertThat(((ExpressionException) e).offset()).isEqualTo(2));
        assertThatThrownBy(() -> Template.parse("${{  }}")).hasMessage("empty expression '${{ }}'");
    }

    @Test
    void readsAConditionBareOrBraced() {
        assertThat(Template.condition("  a > 1 ")).isEqualTo(new Template.Expr("a > 1", 2));
        assertThat(Template.condition(" ${{ a > 1 }} ")).isEqualTo(new Template.Expr("a > 1", 5));
    }

    @Test
    void refusesAConditionMixingTextAndBraces() {
        for (String bad : List.of("${{ a }} && ${{ b }}", "x ${{ a }}", "")) {
            assertThatThrownBy(() -> Template.condition(bad)).isInstanceOf(ExpressionException.class);
        }
    }

    @Test
    void knowsWhetherATextHasExpressions() {
        assertThat(Template.hasExpressions("echo $HOME ${x}")).isFalse();
        assertThat(Template.hasExpressions("echo ${{ x }}")).isTrue();
        assertThat(Template.parse("plain").isConstant()).isTrue();
    }
}
