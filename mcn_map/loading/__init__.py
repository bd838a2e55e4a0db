"""Reading and validating the input workbook: read -> check -> load.

``reading`` turns a workbook or a folder of CSV files into raw sheets (``scan`` looks inside an .xlsx first);
``cells`` parses one cell; ``schema`` is the input format; ``problems`` collects what is wrong; ``validate``
checks every sheet in one pass and builds the :class:`~mcn_map.model.Landscape`; ``template`` writes a blank
input workbook.
"""
