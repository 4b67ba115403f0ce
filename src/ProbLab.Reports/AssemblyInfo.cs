// ProbLab.Reports: HTML reports, SVG charts and PNG images. Depends only on the BCL.
namespace ProbLab.Reports;
