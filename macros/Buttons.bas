Attribute VB_Name = "Buttons"
' xltools: the buttons of TongHop_Tinh.xlsm. Each runs Python (xltools.excel) through the xlwings
' add-in's RunPython. Text officers read lives in the workbook's cells, because VBA source is not Unicode.
Option Explicit

' The consolidate button: validate the inbox and write the provincial summary.
Public Sub Consolidate()
    RunXltools "consolidate_button"
End Sub

' The prefill button: the district forms filled from the bank's exports (cell B11).
Public Sub Prefill()
    RunXltools "prefill_button"
End Sub

' The check button: validate the inbox, write the checked copies and the list of findings.
Public Sub CheckReports()
    RunXltools "validate_button"
End Sub

Private Sub RunXltools(ByVal handler As String)
    On Error GoTo NoAddin
    Application.Run "xlwings.xlam!RunPython", "import xltools.excel; xltools.excel." & handler & "()"
    Exit Sub
NoAddin:
    MsgBox ThisWorkbook.Names("xltools_no_addin").RefersToRange.Value, vbExclamation, "xltools"
End Sub
