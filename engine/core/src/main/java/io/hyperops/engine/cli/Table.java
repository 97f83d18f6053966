package io.hyperops.engine.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with aligned columns, for people; scripts use {@code --json}. */
final class Table
{
    private final List<String> headings;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headings)
    {
        this.headings = List.of(headings);
    }

    void add(String... cells)
    {
        rows.add(List.of(cells));
    }

    void print(PrintWriter out)
    {
        int[] widths = new int[headings.size()];
        for (int column = 0; column < widths.length; column++) {
            widths[column] = headings.get(column).length();
            for (List<String> row : rows) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        printRow(out, headings, widths);
        for (List<String> row : rows) {
            printRow(out, row, widths);
        }
        out.flush();
    }

    private static void printRow(PrintWriter out, List<String> cells, int[] widths)
    {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < cells.size(); column++) {
            String cell = cells.get(column);
            line.append(cell);
            if (column < cells.size() - 1) {
                line.append(" ".repeat(widths[column] - cell.length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
