"""bayyina.text"""
